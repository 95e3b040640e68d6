import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuthController, MeController } from '#src/auth/auth.controller.js';
import { AuthService } from '#src/auth/auth.service.js';
import { JwtAuthGuard } from '#src/auth/guards/jwt-auth.guard.js';
import { RolesGuard } from '#src/auth/guards/roles.guard.js';
import { jwtModuleOptions } from '#src/auth/jwt-options.js';
import { JwtStrategy } from '#src/auth/jwt.strategy.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { RefreshTokensRepository } from '#src/auth/refresh-tokens.repository.js';
import { TokenService } from '#src/auth/token.service.js';
import { UsersRepository } from '#src/auth/users.repository.js';
import { AppConfigService } from '#src/config/app-config.service.js';

/**
 * Registration, login, rotating refresh tokens, `GET /api/me`, and the two global guards: every
 * route needs a valid access token unless `@Public()`, and `@Roles(...)` narrows it further.
 * Still to come in issue #3: API keys, rate limits, the admin bootstrap.
 */
@Module({
  imports: [PassportModule, JwtModule.registerAsync({ inject: [AppConfigService], useFactory: jwtModuleOptions })],
  controllers: [AuthController, MeController],
  providers: [
    AuthService,
    PasswordHasher,
    TokenService,
    UsersRepository,
    RefreshTokensRepository,
    JwtStrategy,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [UsersRepository],
})
export class AuthModule {}
