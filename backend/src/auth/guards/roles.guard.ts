import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthErrors } from '#src/auth/auth.errors.js';
import { type AuthenticatedUser, REQUIRED_ROLES } from '#src/common/auth.decorators.js';
import type { Role } from '#src/contract/index.js';

/** Runs after authentication; routes marked `@Roles(...)` admit only those roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (required === undefined || required.length === 0) return true;
    const user = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>().user;
    if (user === undefined || !required.includes(user.role)) {
      throw AuthErrors.forbidden();
    }
    return true;
  }
}
