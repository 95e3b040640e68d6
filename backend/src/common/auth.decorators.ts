import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OpenApiSecurity } from '#src/common/openapi.js';
import type { Role } from '#src/contract/index.js';

export const IS_PUBLIC = 'creditgate:isPublic';
export const REQUIRED_ROLES = 'creditgate:roles';
export const ALLOWS_API_KEY = 'creditgate:allowsApiKey';

/** The user a request acts for, as the auth guard established it. */
export interface AuthenticatedUser {
  id: string;
  role: Role;
  /** Set when the request authenticated with an API key rather than a login. */
  apiKeyId?: string;
}

/** Opts a route out of the global authentication guard. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * Lets an API key authenticate on this route as well as a login's access token. Only the AI routes
 * and the read-only credit and usage views carry it; keys never manage keys, sessions or users.
 */
export const AllowApiKey = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ALLOWS_API_KEY, true),
    ApiBearerAuth(OpenApiSecurity.Login),
    ApiBearerAuth(OpenApiSecurity.ApiKey),
  );

/** Documents that a route needs a login's access token (the guard requires it anyway). */
export const RequiresLogin = (): MethodDecorator & ClassDecorator => ApiBearerAuth(OpenApiSecurity.Login);

/** Restricts a route to users with one of these roles (checked after authentication). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiBearerAuth(OpenApiSecurity.Login));

/**
 * The bearer token of an `Authorization` header, or undefined. The scheme is case-insensitive
 * (RFC 9110), as passport-jwt also reads it.
 */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

/**
 * The access token (JWT) the request authenticated with, for SQL functions that check the caller
 * themselves (the admin functions verify its signature and read the role; db/migrations/0008).
 * Only on routes that accept no API key, where the guard has verified this very token.
 */
export const AccessToken = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const token = bearerTokenOf(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
  if (token === undefined) throw new Error('AccessToken used on a route without a bearer token');
  return token;
});

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>().user;
  if (user === undefined) throw new Error('CurrentUser used on a route without authentication');
  return user;
});
