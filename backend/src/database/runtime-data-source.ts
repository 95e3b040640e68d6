import type { TypeOrmModuleOptions } from '@nestjs/typeorm';

/**
 * The pool every request uses, logged in as the runtime role (`runtimeUrl`, from
 * DatabaseBootstrap.prepare): the application's queries run with that role's narrow grants, and no
 * statement can widen them (it cannot SET ROLE to the owner or a superuser). The time limits keep a
 * stuck statement or an abandoned transaction from holding row locks.
 */
export function runtimeDataSourceOptions(runtimeUrl: string, poolMax: number): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url: runtimeUrl,
    synchronize: false,
    migrationsRun: false,
    entities: [],
    logging: false,
    extra: {
      max: poolMax,
      application_name: 'creditgate',
      options: '-c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000',
    },
  };
}
