import { inject } from '@angular/core';
import {
  type ActivatedRouteSnapshot,
  type CanActivateChildFn,
  type CanActivateFn,
  type RedirectFunction,
  Router,
} from '@angular/router';
import { AuthSession } from '@app/core/auth-session';

/** Where a user's own pages start (docs/console.md: the URL layout). */
export const ACCOUNT_HOME = '/account';
/** Where an admin lands after signing in. */
export const ADMIN_HOME = '/dashboard';

/** Every page but the login page needs a session; anyone else goes to the login page, and comes back. */
export const signedInGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthSession).isSignedIn()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Route data that opens a page (and the pages under it) to every signed-in user. */
export const FOR_EVERY_USER = { forEveryUser: true } as const;

const isForEveryUser = (route: ActivatedRouteSnapshot): boolean =>
  route.pathFromRoot.some((step) => step.routeConfig?.data?.['forEveryUser'] === true);

/**
 * On the shell's children: every page needs the admin role unless its route (or one above it) carries
 * `FOR_EVERY_USER`, so a new admin page is admins-only without saying so. A signed-in user who
 * follows an admin link lands on their own pages (the API would refuse its calls anyway).
 */
export const adminGuard: CanActivateChildFn = (route, state) => {
  const session = inject(AuthSession);
  const router = inject(Router);
  if (!session.isSignedIn()) return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
  return session.isAdmin() || isForEveryUser(route) ? true : router.createUrlTree([ACCOUNT_HOME]);
};

/** The login page is for signed-out visitors; a signed-in user goes to their start page. */
export const signedOutGuard: CanActivateFn = () => {
  const session = inject(AuthSession);
  return session.isSignedIn() ? inject(Router).createUrlTree(['/']) : true;
};

/** The start page by role: admins get the dashboard as before, users their account overview. */
export const homeByRole: RedirectFunction = () => (inject(AuthSession).isAdmin() ? ADMIN_HOME : ACCOUNT_HOME);
