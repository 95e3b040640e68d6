import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { addressAllowed } from '#src/api-keys/allowed-ips.js';
import { ApiKeysService } from '#src/api-keys/api-keys.service.js';
import { AuthErrors } from '#src/auth/auth.errors.js';
import { ALLOWS_API_KEY, type AuthenticatedUser, bearerTokenOf, IS_PUBLIC } from '#src/common/auth.decorators.js';
import { API_KEY_PREFIX } from '#src/contract/index.js';

type AuthenticatedRequest = FastifyRequest & { user?: AuthenticatedUser };

/**
 * Global: every route needs credentials unless it is `@Public()`. A bearer token that starts with
 * the API key prefix is an API key, accepted only on `@AllowApiKey()` routes; anything else must be
 * a login's JWT access token (passport-jwt, see JwtStrategy).
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.flag(IS_PUBLIC, context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = bearerTokenOf(request.headers.authorization);
    if (bearer?.startsWith(API_KEY_PREFIX)) {
      request.user = await this.authenticateApiKey(bearer, request, context);
      return true;
    }
    return (await super.canActivate(context)) === true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    // A domain error from the strategy (a disabled account) keeps its own code; any other failure,
    // a missing, malformed, expired or foreign token, is 401.
    if (error instanceof Error) throw error;
    if (user === false) throw AuthErrors.missingAccessToken();
    return user;
  }

  /**
   * An unknown, revoked or expired key is 401; a key used from outside its `allowedIps` is 403. The
   * client's address is `request.ip`: the socket's peer, unless TRUST_PROXY names the proxies whose
   * X-Forwarded-For may be believed (docs/limits.md).
   */
  private async authenticateApiKey(
    key: string,
    request: AuthenticatedRequest,
    context: ExecutionContext,
  ): Promise<AuthenticatedUser> {
    if (!this.flag(ALLOWS_API_KEY, context)) throw AuthErrors.apiKeyNotAccepted();
    const owner = await this.apiKeys.authenticate(key);
    if (!owner) throw AuthErrors.badApiKey();
    if (owner.allowedIps !== null && !addressAllowed(request.ip, owner.allowedIps)) {
      throw AuthErrors.addressNotAllowed();
    }
    if (owner.disabled) throw AuthErrors.accountDisabled();
    return { id: owner.userId, role: owner.role, apiKeyId: owner.apiKeyId };
  }

  private flag(key: string, context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(key, [context.getHandler(), context.getClass()]) === true
    );
  }
}
