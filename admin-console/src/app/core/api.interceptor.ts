import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { toApiError } from '@app/core/api-error';
import { AuthSession } from '@app/core/auth-session';

const API_PREFIX = '/api/';
/** Login, refresh and logout carry no access token and must never trigger a refresh themselves. */
const AUTH_PREFIX = '/api/auth/';

/** A `blob` request's error body arrives as a Blob; read it so its code can be shown. */
async function readBlobBody(error: HttpErrorResponse): Promise<unknown> {
  if (!(error.error instanceof Blob)) return error.error;
  try {
    return JSON.parse(await error.error.text()) as unknown;
  } catch {
    return null;
  }
}

/**
 * The console's one interceptor for API calls: it adds the access token, refreshes it once when the
 * API answers 401 (and retries the request), and turns every failure into an `ApiError` whose
 * message comes from the contract's error code, so pages only ever show `error.summary`.
 */
export const apiInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith(API_PREFIX)) return next(request);
  const session = inject(AuthSession);
  const isAuthCall = request.url.startsWith(AUTH_PREFIX);
  const authorised = (token: string | null): HttpRequest<unknown> =>
    isAuthCall || token === null ? request : request.clone({ setHeaders: { Authorization: `Bearer ${token}` } });

  return next(authorised(session.accessToken())).pipe(
    catchError((error: unknown) => {
      if (isAuthCall || !(error instanceof HttpErrorResponse) || error.status !== 401) return throwError(() => error);
      if (!session.canRefresh()) {
        session.end('expired');
        return throwError(() => error);
      }
      return session.refresh().pipe(switchMap((token) => next(authorised(token))));
    }),
    catchError((error: unknown) =>
      error instanceof HttpErrorResponse
        ? from(readBlobBody(error)).pipe(switchMap((body) => throwError(() => toApiError(error, body))))
        : throwError(() => toApiError(error)),
    ),
  );
};
