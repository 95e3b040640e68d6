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
        }),
      ],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
