import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { isUUID } from 'class-validator';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AccessTokenClaims } from '#src/auth/token.service.js';
import { UsersRepository } from '#src/auth/users.repository.js';
import { AuthErrors } from '#src/auth/auth.errors.js';
import type { AuthenticatedUser } from '#src/common/auth.decorators.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { JWT_AUDIENCE, JWT_ISSUER } from '#src/auth/jwt-options.js';

/**
 * Verifies the bearer token, then reads the user on every request: a disabled account or a
 * changed role takes effect at once, not when the token expires.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfigService,
    private readonly users: UsersRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A key object made once: given the string, jsonwebtoken rebuilds it on every verify after first
      // failing to parse it as a public key (an exception per request, 5% of a saturated backend's CPU
      // in docs/benchmarks.md). jsonwebtoken takes a KeyObject; @types/passport-jwt does not list it.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthenticatedUser | false> {
    // Only our own signature makes a token valid, but a token signed with a leaked or shared secret,
    // or by an older build, may carry any `sub`: one that is not a user id is no user (401), never
    // a query that fails on it (22P02, a 500).
    if (typeof claims.sub !== 'string' || !isUUID(claims.sub)) return false;
    const user = await this.users.findAccess(claims.sub);
    if (!user) return false;
    if (user.disabled) throw AuthErrors.accountDisabled();
    return { id: user.id, role: user.role };
  }
}
