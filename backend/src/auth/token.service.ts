import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { RefreshTokensRepository, type RotationResult } from '#src/auth/refresh-tokens.repository.js';
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

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Short-lived JWT access tokens and opaque, rotating refresh tokens. A refresh token belongs to a
 * family (one login); using it yields a new pair in the same family, and using it twice revokes it.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  /** A new session: a pair that starts its own family. */
  issueForLogin(userId: string, role: Role): Promise<TokenPair> {
    return this.issue(userId, role, randomUUID());
  }

  async rotate(refreshToken: string): Promise<RotationResult> {
    return this.refreshTokens.rotate(sha256(refreshToken));
  }

  issueInFamily(userId: string, role: Role, familyId: string): Promise<TokenPair> {
    return this.issue(userId, role, familyId);
  }

  revokeSession(refreshToken: string): Promise<boolean> {
    return this.refreshTokens.revokeFamilyOf(sha256(refreshToken));
  }

  private async issue(userId: string, role: Role, familyId: string): Promise<TokenPair> {
    const refreshToken = `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await this.refreshTokens.insert({
      userId,
      familyId,
      tokenHash: sha256(refreshToken),
      ttlSeconds: REFRESH_TOKEN_TTL_SECONDS,
    });
    const claims: AccessTokenClaims = { sub: userId, role };
    return { accessToken: await this.jwt.signAsync(claims), refreshToken };
  }
}
