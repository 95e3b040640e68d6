import { createHmac } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { JWT_AUDIENCE, JWT_ISSUER } from '#src/auth/jwt-options.js';
import { ACCESS_TOKEN_TTL_SECONDS } from '#src/auth/token.service.js';
import type { Role } from '#src/contract/index.js';
import { TEST_JWT_SECRET } from '#test/support/test-database.js';

/** An access token exactly as the backend issues one (TokenService with jwtModuleOptions). */
export function accessTokenFor(userId: string, role: Role = 'admin', secret = TEST_JWT_SECRET): string {
  return new JwtService({
    secret,
    signOptions: {
      algorithm: 'HS256',
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    },
  }).sign({ sub: userId, role });
}

/** The claims of a valid admin token for `userId`, to alter one at a time. */
export function adminClaims(userId: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    role: 'admin',
    iat: now,
    exp: now + ACCESS_TOKEN_TTL_SECONDS,
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
  };
}

/**
 * A JWT put together by hand, as an attacker would: any header and claims (a string is taken as the
 * claims' raw text), signed with HMAC-SHA256 by `secret`, or with an empty signature when `secret`
 * is null (`alg: none`).
 */
export function handMadeToken(
  header: Record<string, unknown>,
  claims: Record<string, unknown> | string,
  secret: string | null,
): string {
  const part = (value: unknown) =>
    Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const signed = `${part(header)}.${part(claims)}`;
  const signature = secret === null ? '' : createHmac('sha256', secret).update(signed).digest('base64url');
  return `${signed}.${signature}`;
}
