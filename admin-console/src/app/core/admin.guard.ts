import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthSession } from '@app/core/auth-session';

/** The console's pages need a signed-in admin; anyone else goes to the login page. */
export const adminGuard: CanActivateFn = (_route, state) => {
  const session = inject(AuthSession);
  if (session.isSignedIn()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** The login page is for signed-out visitors; a signed-in admin goes to the dashboard. */
export const signedOutGuard: CanActivateFn = () => {
  const session = inject(AuthSession);
  return session.isSignedIn() ? inject(Router).createUrlTree(['/']) : true;
};
