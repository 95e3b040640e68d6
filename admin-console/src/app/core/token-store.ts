import { Injectable } from '@angular/core';

const REFRESH_TOKEN_KEY = 'creditgate.refreshToken';

/**
 * Where the refresh token lives between page loads. Session storage, not local storage: it is
 * per tab and gone when the tab closes, so two tabs never rotate the same token (a reuse the
 * backend answers by revoking the whole login) and a forgotten tab does not stay signed in. The
 * short-lived access token stays in memory only.
 */
@Injectable({ providedIn: 'root' })
export class TokenStore {
  read(): string | null {
    return sessionStorage.getItem(REFRESH_TOKEN_KEY);
  }

  write(refreshToken: string): void {
    sessionStorage.setItem(REFRESH_TOKEN_KEY, refreshToken);
  }

  clear(): void {
    sessionStorage.removeItem(REFRESH_TOKEN_KEY);
  }
}
