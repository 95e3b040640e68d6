import { join } from 'node:path';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { AppConfigService } from '#src/config/app-config.service.js';
import { validateEnvironment } from '#src/config/environment.js';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';

@Global()
@Module({})
export class ConfigModule {
  /** Reads and validates the environment now, when the application is assembled, not at import. */
  static forRoot(): DynamicModule {
    return {
      module: ConfigModule,
      imports: [
        NestConfigModule.forRoot({
          // A developer's `.env` must not leak into test runs, which set their own environment.
          ignoreEnvFile: process.env['NODE_ENV'] === 'test',
          envFilePath: join(findWorkspaceRoot(), '.env'),
          validate: validateEnvironment,
          // Only validated values: a raw fallback would read DEEPSEEK_API_KEY='' (docker-compose's
          // empty default) as a key, where validation rightly reads it as unset.
          skipProcessEnv: true,
        }),
      ],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
