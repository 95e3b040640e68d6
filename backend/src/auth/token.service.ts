import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { RefreshTokensRepository, type RotationResult } from '#src/auth/refresh-tokens.repository.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import type { Role } from '#src/contract/index.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const REFRESH_TOKEN_PREFIX = 'cgr_';

export interface AccessTokenClaims {
  sub: string;
  role: Role;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * Short-lived JWT access tokens and opaque, rotating refresh tokens. A refresh token belongs to a
 * family (one login); using it yields a new pair in the same family, and using it twice revokes it.
 *
 * A refresh token is stored as an HMAC keyed by a key derived from JWT_SECRET, not as a plain hash:
 * the runtime database role may insert refresh-token rows, and with a plain hash anyone holding that
 * role (an injected statement, a leaked password) could insert the hash of a token of their own for
 * an admin and trade it here for a genuine admin access token. Without the key, no row they write
 * matches any token they can present.
 */
@Injectable()
export class TokenService {
  private readonly refreshTokenKey: Buffer;

  constructor(
    private readonly jwt: JwtService,
    private readonly refreshTokens: RefreshTokensRepository,
    config: AppConfigService,
  ) {
    this.refreshTokenKey = createHmac('sha256', config.jwtSecret).update('creditgate refresh-token hash v1').digest();
  }

  /** A new session: a pair that starts its own family. */
  issueForLogin(userId: string, role: Role): Promise<TokenPair> {
    return this.issue(userId, role, randomUUID());
  }

  async rotate(refreshToken: string): Promise<RotationResult> {
    return this.refreshTokens.rotate(this.hashOf(refreshToken));
  }

  issueInFamily(userId: string, role: Role, familyId: string): Promise<TokenPair> {
    return this.issue(userId, role, familyId);
  }

  revokeSession(refreshToken: string): Promise<boolean> {
    return this.refreshTokens.revokeFamilyOf(this.hashOf(refreshToken));
  }

  private async issue(userId: string, role: Role, familyId: string): Promise<TokenPair> {
    const refreshToken = `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await this.refreshTokens.insert({
      userId,
      familyId,
      tokenHash: this.hashOf(refreshToken),
      ttlSeconds: REFRESH_TOKEN_TTL_SECONDS,
    });
    const claims: AccessTokenClaims = { sub: userId, role };
    return { accessToken: await this.jwt.signAsync(claims), refreshToken };
  }

  private hashOf(refreshToken: string): Buffer {
    return createHmac('sha256', this.refreshTokenKey).update(refreshToken).digest();
  }
}
