import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DatabaseRole } from '#src/database/database-roles.js';

/**
 * The pool every request uses. Each connection assumes the runtime role at startup, so the
 * application's queries run with that role's narrow grants whatever user the URL names; the time
 * limits keep a stuck statement or an abandoned transaction from holding row locks.
 */
export function runtimeDataSourceOptions(url: string, poolMax: number): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    entities: [],
    logging: false,
    extra: {
      max: poolMax,
      application_name: 'creditgate',
      options: `-c role=${DatabaseRole.Runtime} -c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000`,
    },
  };
}
