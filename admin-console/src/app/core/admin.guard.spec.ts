import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { type AuthResponse, Role } from '@creditgate/contract';
import { adminGuard, FOR_EVERY_USER, homeByRole, signedInGuard, signedOutGuard } from '@app/core/admin.guard';
import { apiInterceptor } from '@app/core/api.interceptor';
import { AuthSession } from '@app/core/auth-session';

@Component({ template: 'page' })
class Page {}

const session = (role: Role): AuthResponse => ({
  user: { id: 'u1', email: 'someone@example.test', role, credits: 1000, createdAt: '2026-11-24T00:00:00.000Z' },
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
});

/** The app's route layout in miniature: the same guards on the same kinds of routes. */
const routes = [
  { path: 'login', canActivate: [signedOutGuard], component: Page },
  {
    path: '',
    canActivate: [signedInGuard],
    canActivateChild: [adminGuard],
    children: [
      { path: '', pathMatch: 'full' as const, redirectTo: homeByRole },
      {
        path: 'account',
        data: FOR_EVERY_USER,
        children: [
          { path: '', component: Page },
          { path: 'keys', component: Page },
        ],
      },
      { path: 'dashboard', component: Page },
      { path: 'users', component: Page },
    ],
  },
];

describe('route guards', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter(routes),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    harness = undefined;
    backend.verify();
  });

  async function signInAs(role: Role): Promise<void> {
    const signedIn = TestBed.inject(AuthSession).signIn({ email: 'someone@example.test', password: 'password-1' });
    backend.expectOne('/api/auth/login').flush(session(role));
    await signedIn;
  }

  let harness: RouterTestingHarness | undefined;

  async function landing(url: string): Promise<string> {
    harness ??= await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    return TestBed.inject(Router).url;
  }

  it('keeps a normal user signed in (no refusal, no revoked token) and opens their own pages only', async () => {
    await signInAs(Role.User);

    expect(TestBed.inject(AuthSession).isAdmin()).toBe(false);
    expect(sessionStorage.getItem('creditgate.refreshToken')).toBe('refresh-1');
    backend.expectNone('/api/auth/logout');
    await expect(landing('/')).resolves.toBe('/account');
    await expect(landing('/account/keys')).resolves.toBe('/account/keys');
    // An admin link (an old bookmark, a shared URL) lands on the user's own overview.
    await expect(landing('/users')).resolves.toBe('/account');
    await expect(landing('/login')).resolves.toBe('/account');
  });

  it('starts an admin on the dashboard and opens both the admin pages and their own', async () => {
    await signInAs(Role.Admin);

    await expect(landing('/')).resolves.toBe('/dashboard');
    await expect(landing('/users')).resolves.toBe('/users');
    await expect(landing('/account/keys')).resolves.toBe('/account/keys');
  });

  it('sends a visitor to the login page, remembering where they were going', async () => {
    await expect(landing('/account/keys')).resolves.toBe('/login?returnUrl=%2Faccount%2Fkeys');
    await expect(landing('/users')).resolves.toBe('/login?returnUrl=%2Fusers');
  });
});
