import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import {
  type AuthResponse,
  ErrorCode,
  type LoginRequest,
  type RefreshRequest,
  Role,
  type UserView,
} from '@creditgate/contract';
import { catchError, finalize, firstValueFrom, map, type Observable, shareReplay, tap, throwError } from 'rxjs';
import { ApiError } from '@app/core/api-error';
import { TokenStore } from '@app/core/token-store';

/** Why the login page is shown again; it words the notice. */
export type SignOutReason = 'signed-out' | 'expired' | 'not-admin';

export const NOT_ADMIN_MESSAGE = 'This console is for admins only. Your account does not have the admin role.';

/**
 * The signed-in admin and their tokens. Only admins get a session: a normal user's login succeeds
 * at the API (it is their account) but is ended here at once, with a clear refusal.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly tokens = inject(TokenStore);

  private readonly session = signal<{ user: UserView; accessToken: string } | null>(null);
  /** One refresh at a time: concurrent 401s wait for it rather than rotating the token twice. */
  private refreshInFlight: Observable<string> | null = null;

  readonly user = computed(() => this.session()?.user ?? null);
  readonly isSignedIn = computed(() => this.session() !== null);

  accessToken(): string | null {
    return this.session()?.accessToken ?? null;
  }

  canRefresh(): boolean {
    return this.tokens.read() !== null;
  }

  async signIn(credentials: LoginRequest): Promise<UserView> {
    const response = await firstValueFrom(this.http.post<AuthResponse>('/api/auth/login', credentials));
    if (response.user.role !== Role.Admin) {
      this.revoke(response.refreshToken);
      throw new ApiError(403, ErrorCode.Forbidden, NOT_ADMIN_MESSAGE);
    }
    this.accept(response);
    return response.user;
  }

  /** At start-up: a tab reloaded while signed in continues its session. */
  async restore(): Promise<void> {
    if (!this.canRefresh()) return;
    try {
      await firstValueFrom(this.refresh());
    } catch {
      // The stored token expired or was revoked: the login page follows from the route guard.
    }
  }

  /** A new access token (rotating the refresh token); ends the session when that is refused. */
  refresh(): Observable<string> {
    const refreshToken = this.tokens.read();
    if (refreshToken === null) return throwError(() => new ApiError(401, ErrorCode.Unauthenticated, 'Not signed in.'));
    this.refreshInFlight ??= this.http
      .post<AuthResponse>('/api/auth/refresh', { refreshToken } satisfies RefreshRequest)
      .pipe(
        tap((response) => {
          if (response.user.role !== Role.Admin) throw new ApiError(403, ErrorCode.Forbidden, NOT_ADMIN_MESSAGE);
          this.accept(response);
        }),
        map((response) => response.accessToken),
        catchError((error: unknown) => {
          this.end(error instanceof ApiError && error.code === ErrorCode.Forbidden ? 'not-admin' : 'expired');
          return throwError(() => error);
        }),
        finalize(() => (this.refreshInFlight = null)),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
    return this.refreshInFlight;
  }

  /** Ends the session here and at the server (the refresh token is revoked). */
  signOut(): void {
    const refreshToken = this.tokens.read();
    if (refreshToken !== null) this.revoke(refreshToken);
    this.end('signed-out');
  }

  /** Forgets the session and shows the login page with the reason. */
  end(reason: SignOutReason): void {
    const wasSignedIn = this.session() !== null || this.tokens.read() !== null;
    this.session.set(null);
    this.tokens.clear();
    if (wasSignedIn || reason !== 'expired') {
      void this.router.navigate(['/login'], { queryParams: { reason } });
    }
  }

  private accept(response: AuthResponse): void {
    this.tokens.write(response.refreshToken);
    this.session.set({ user: response.user, accessToken: response.accessToken });
  }

  private revoke(refreshToken: string): void {
    // Best effort: the token expires on its own if the network fails now.
    this.http.post('/api/auth/logout', { refreshToken } satisfies RefreshRequest).subscribe({ error: () => undefined });
  }
}
