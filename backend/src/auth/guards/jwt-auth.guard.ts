import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AuthErrors } from '#src/auth/auth.errors.js';
import { IS_PUBLIC } from '#src/common/auth.decorators.js';

/** Global: every route needs a valid access token unless it is marked `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic === true ? true : super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    // A domain error from the strategy (a disabled account) keeps its own code; any other failure,
    // a missing, malformed, expired or foreign token, is 401.
    if (error instanceof Error) throw error;
    if (user === false) throw AuthErrors.missingAccessToken();
    return user;
  }
}
