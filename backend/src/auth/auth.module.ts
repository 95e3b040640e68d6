import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ApiKeysModule } from '#src/api-keys/api-keys.module.js';
import { AdminBootstrapRepository } from '#src/auth/admin-bootstrap.repository.js';
import { AdminBootstrap } from '#src/auth/admin-bootstrap.service.js';
import { AuthController, MeController } from '#src/auth/auth.controller.js';
import { AuthService } from '#src/auth/auth.service.js';
import { AuthenticationGuard } from '#src/auth/guards/authentication.guard.js';
import { RolesGuard } from '#src/auth/guards/roles.guard.js';
import { jwtModuleOptions } from '#src/auth/jwt-options.js';
import { JwtStrategy } from '#src/auth/jwt.strategy.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { RefreshTokensRepository } from '#src/auth/refresh-tokens.repository.js';
import { TokenService } from '#src/auth/token.service.js';
import { UsersRepository } from '#src/auth/users.repository.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { RateLimitGuard } from '#src/rate-limit/rate-limit.guard.js';
import { RateLimitModule } from '#src/rate-limit/rate-limit.module.js';

/**
 * Registration, login, rotating refresh tokens, `GET /api/me`, and the global guards, in order:
 * authentication (a login's access token, or an API key where `@AllowApiKey()`; none where
 * `@Public()`), `@Roles(...)`, then the `@RateLimit(...)` limits.
 */
@Module({
  imports: [
    ApiKeysModule,
    RateLimitModule,
    PassportModule,
    JwtModule.registerAsync({ inject: [AppConfigService], useFactory: jwtModuleOptions }),
  ],
  controllers: [AuthController, MeController],
  providers: [
    AdminBootstrap,
    AdminBootstrapRepository,
    AuthService,
    PasswordHasher,
    TokenService,
    UsersRepository,
    RefreshTokensRepository,
    JwtStrategy,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    // Last: the per-user chat limit counts the user the guards above established.
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [UsersRepository],
})
export class AuthModule {}
