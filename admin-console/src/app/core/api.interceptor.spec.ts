import { HttpClient, HttpHeaders, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { type AuthResponse, ErrorCode, type ErrorBody, Role } from '@creditgate/contract';
import { firstValueFrom } from 'rxjs';
import { ApiError, NETWORK_ERROR } from '@app/core/api-error';
import { apiInterceptor } from '@app/core/api.interceptor';
import { AuthSession } from '@app/core/auth-session';

const admin = (accessToken: string, refreshToken: string): AuthResponse => ({
  user: { id: 'a1', email: 'ops@example.test', role: Role.Admin, credits: 1000, createdAt: '2026-11-24T00:00:00.000Z' },
  accessToken,
  refreshToken,
});

const errorBody = (statusCode: number, code: ErrorCode, message: string): ErrorBody => ({
  statusCode,
  code,
  message,
  requestId: 'req-1',
});

describe('apiInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let session: AuthSession;

  beforeEach(async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([apiInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    session = TestBed.inject(AuthSession);
    const signedIn = session.signIn({ email: 'ops@example.test', password: 'secret-password' });
    backend.expectOne('/api/auth/login').flush(admin('access-1', 'refresh-1'));
    await signedIn;
  });

  afterEach(() => {
    backend.verify();
  });

  it('sends the access token to the API, and nowhere else', () => {
    http.get('/api/admin/users').subscribe();
    http.get('/admin/assets/logo.svg').subscribe();

    expect(backend.expectOne('/api/admin/users').request.headers.get('Authorization')).toBe('Bearer access-1');
    expect(backend.expectOne('/admin/assets/logo.svg').request.headers.has('Authorization')).toBe(false);
  });

  it('refreshes once on a 401 and retries the request with the new token', async () => {
    const answer = firstValueFrom(http.get<{ ok: boolean }>('/api/admin/stats'));

    backend.expectOne('/api/admin/stats').flush(errorBody(401, ErrorCode.Unauthenticated, 'Expired'), {
      status: 401,
      statusText: 'Unauthorized',
    });
    const refresh = backend.expectOne('/api/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    refresh.flush(admin('access-2', 'refresh-2'));
    const retried = backend.expectOne('/api/admin/stats');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer access-2');
    retried.flush({ ok: true });

    await expect(answer).resolves.toEqual({ ok: true });
    expect(sessionStorage.getItem('creditgate.refreshToken')).toBe('refresh-2');
  });

  it('shares one refresh between requests that fail together, so the token is rotated once', async () => {
    const answers = Promise.all([
      firstValueFrom(http.get('/api/admin/users')),
      firstValueFrom(http.get('/api/admin/models')),
    ]);
    for (const path of ['/api/admin/users', '/api/admin/models']) {
      backend.expectOne(path).flush(errorBody(401, ErrorCode.Unauthenticated, 'Expired'), {
        status: 401,
        statusText: 'Unauthorized',
      });
    }

    backend.expectOne('/api/auth/refresh').flush(admin('access-2', 'refresh-2'));
    backend.expectOne('/api/admin/users').flush({ items: [] });
    backend.expectOne('/api/admin/models').flush({ items: [] });

    await expect(answers).resolves.toEqual([{ items: [] }, { items: [] }]);
  });

  it('ends the session and shows the login page when the refresh is refused', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const answer = firstValueFrom(http.get('/api/admin/users'));

    backend.expectOne('/api/admin/users').flush(errorBody(401, ErrorCode.Unauthenticated, 'Expired'), {
      status: 401,
      statusText: 'Unauthorized',
    });
    backend.expectOne('/api/auth/refresh').flush(errorBody(401, ErrorCode.Unauthenticated, 'Revoked'), {
      status: 401,
      statusText: 'Unauthorized',
    });

    await expect(answer).rejects.toMatchObject({ code: ErrorCode.Unauthenticated });
    expect(session.isSignedIn()).toBe(false);
    expect(sessionStorage.getItem('creditgate.refreshToken')).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { reason: 'expired' } });
  });

  it("turns the API's error body into the console's message, keeping the server's detail and request id", async () => {
    const answer = firstValueFrom(http.patch('/api/admin/users/u1', { role: 'user' }));

    backend
      .expectOne('/api/admin/users/u1')
      .flush(errorBody(403, ErrorCode.Forbidden, 'The last enabled admin cannot be demoted or disabled.'), {
        status: 403,
        statusText: 'Forbidden',
      });

    const error = await answer.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 403,
      code: ErrorCode.Forbidden,
      message: 'You are not allowed to do this.',
      detail: 'The last enabled admin cannot be demoted or disabled.',
      requestId: 'req-1',
    });
    expect((error as ApiError).summary).toBe(
      'You are not allowed to do this. The last enabled admin cannot be demoted or disabled.',
    );
  });

  it('lists the fields of a validation error, and reads Retry-After from a 429', async () => {
    const invalid = firstValueFrom(http.post('/api/admin/recharge', {})).catch((caught: unknown) => caught);
    backend.expectOne('/api/admin/recharge').flush(
      {
        ...errorBody(400, ErrorCode.ValidationFailed, 'Invalid'),
        details: [{ field: 'amount', messages: ['amount must not be greater than 1000000'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    const limited = firstValueFrom(http.get('/api/admin/users')).catch((caught: unknown) => caught);
    backend.expectOne('/api/admin/users').flush(errorBody(429, ErrorCode.RateLimited, 'Slow down'), {
      status: 429,
      statusText: 'Too Many Requests',
      headers: new HttpHeaders({ 'Retry-After': '17' }),
    });

    expect(((await invalid) as ApiError).summary).toBe(
      'Some values are not valid. amount must not be greater than 1000000',
    );
    expect(await limited).toMatchObject({ code: ErrorCode.RateLimited, retryAfter: 17 });
  });

  it('names failures that carry no error body: no connection, a proxy error, a CSV download', async () => {
    const offline = firstValueFrom(http.get('/api/admin/users')).catch((caught: unknown) => caught);
    backend.expectOne('/api/admin/users').error(new ProgressEvent('error'), { status: 0, statusText: '' });
    const proxy = firstValueFrom(http.get('/api/admin/stats')).catch((caught: unknown) => caught);
    backend.expectOne('/api/admin/stats').flush('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    const csv = firstValueFrom(http.get('/api/admin/usage/export', { responseType: 'blob' })).catch(
      (caught: unknown) => caught,
    );
    backend
      .expectOne('/api/admin/usage/export')
      .flush(new Blob([JSON.stringify(errorBody(400, ErrorCode.ValidationFailed, 'from must be a date'))]), {
        status: 400,
        statusText: 'Bad Request',
      });

    expect(await offline).toMatchObject({ code: NETWORK_ERROR, status: 0 });
    expect(await proxy).toMatchObject({ code: ErrorCode.ServiceUnavailable, status: 502 });
    expect(await csv).toMatchObject({ code: ErrorCode.ValidationFailed, detail: 'from must be a date' });
  });
});
