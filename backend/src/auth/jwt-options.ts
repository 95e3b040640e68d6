import type { JwtModuleOptions } from '@nestjs/jwt';
import { ACCESS_TOKEN_TTL_SECONDS } from '#src/auth/token.service.js';
import type { AppConfigService } from '#src/config/app-config.service.js';

export const JWT_ISSUER = 'creditgate';
export const JWT_AUDIENCE = 'creditgate-api';

export function jwtModuleOptions(config: AppConfigService): JwtModuleOptions {
  return {
    secret: config.jwtSecret,
    signOptions: {
      algorithm: 'HS256',
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    },
  };
}
