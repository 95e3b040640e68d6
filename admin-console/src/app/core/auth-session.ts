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
export type SignOutReason = 'signed-out' | 'expired';

/**
 * The signed-in user and their tokens. Every role gets a session: users see their own pages (the
 * account area), admins the admin pages as well. The role decides which routes open
 * (`core/admin.guard.ts`); the API checks it again on every admin call.
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
  /** As the last token answer said: a role changed by another admin shows at the next refresh. */
  readonly isAdmin = computed(() => this.session()?.user.role === Role.Admin);

  accessToken(): string | null {
    return this.session()?.accessToken ?? null;
  }

  canRefresh(): boolean {
    return this.tokens.read() !== null;
  }

  async signIn(credentials: LoginRequest): Promise<UserView> {
    const response = await firstValueFrom(this.http.post<AuthResponse>('/api/auth/login', credentials));
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
          this.accept(response);
        }),
        map((response) => response.accessToken),
        catchError((error: unknown) => {
          this.end('expired');
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
