import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { type AdminUserItem, ErrorCode, type ListResponse, Role } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { UsersPage } from '@app/features/users/users.page';

const user = (index: number, overrides: Partial<AdminUserItem> = {}): AdminUserItem => ({
  id: `00000000-0000-4000-8000-00000000000${index}`,
  email: `user${index}@example.test`,
  role: Role.User,
  disabled: false,
  createdAt: '2026-11-20T10:00:00.000Z',
  credits: { balance: 1200, held: 30, available: 1170 },
  ...overrides,
});

describe('UsersPage', () => {
  let fixture: ComponentFixture<UsersPage>;
  let backend: HttpTestingController;
  const element = () => fixture.nativeElement as HTMLElement;
  /** Each row's cells, trimmed. */
  const rows = () =>
    Array.from(element().querySelectorAll('tr[mat-row]'), (row) =>
      Array.from(row.querySelectorAll('td'), (cell) => cell.textContent.trim()),
    );

  /** The next users request, once the page has made it (resources and the search debounce are async). */
  async function nextRequest(): Promise<TestRequest> {
    let found: TestRequest | undefined;
    // Not whenStable(): it would wait for the very request this looks for.
    await vi.waitFor(() => {
      TestBed.tick();
      found = backend.expectOne((request) => request.url === '/api/admin/users');
    });
    if (!found) throw new Error('no request');
    return found;
  }

  async function answer(request: TestRequest, page: ListResponse<AdminUserItem>): Promise<void> {
    request.flush(page);
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [UsersPage],
      providers: [provideHttpClient(withInterceptors([apiInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(UsersPage);
    fixture.detectChanges();
  });

  afterEach(() => {
    backend.verify();
  });

  it('shows a row per user with role, status and credits, and links to the user', async () => {
    const first = await nextRequest();
    expect(first.request.params.get('limit')).toBe('20');
    expect(first.request.params.has('search')).toBe(false);
    await answer(first, { items: [user(1), user(2, { role: Role.Admin, disabled: true })], nextCursor: null });

    expect(rows()).toEqual([
      ['user1@example.test', 'user', 'Active', '1,200', '30', '1,170', 'Nov 20, 2026'],
      ['user2@example.test', 'admin', 'Disabled', '1,200', '30', '1,170', 'Nov 20, 2026'],
    ]);
    expect(element().querySelector('a.link')?.getAttribute('href')).toBe(`/users/${user(1).id}`);
    expect(element().querySelector('cg-pager-controls nav')).toBeNull();
  });

  it('searches by e-mail once typing pauses, starting again at the first page', async () => {
    await answer(await nextRequest(), { items: [user(1)], nextCursor: 'cursor-2' });
    element().querySelector<HTMLButtonElement>('[data-testid="next-page"]')!.click();
    const second = await nextRequest();
    expect(second.request.params.get('cursor')).toBe('cursor-2');
    await answer(second, { items: [user(2)], nextCursor: null });

    const search = element().querySelector<HTMLInputElement>('[data-testid="user-search"]');
    if (!search) throw new Error('no search box');
    search.value = 'Grace';
    search.dispatchEvent(new Event('input'));
    const searched = await nextRequest();

    expect(searched.request.params.get('search')).toBe('Grace');
    expect(searched.request.params.has('cursor')).toBe(false);
    await answer(searched, { items: [], nextCursor: null });
    expect(element().textContent).toContain('No user matches this search.');
  });

  it('pages forward and back with the cursors the API gave', async () => {
    await answer(await nextRequest(), { items: [user(1)], nextCursor: 'cursor-2' });
    element().querySelector<HTMLButtonElement>('[data-testid="next-page"]')!.click();
    await answer(await nextRequest(), { items: [user(2)], nextCursor: null });
    expect(rows()[0]?.[0]).toBe('user2@example.test');
    expect(element().querySelector('cg-pager-controls')?.textContent).toContain('Page 2');

    element().querySelector<HTMLButtonElement>('cg-pager-controls button')!.click();
    const back = await nextRequest();

    expect(back.request.params.has('cursor')).toBe(false);
    await answer(back, { items: [user(1)], nextCursor: 'cursor-2' });
    expect(rows()[0]?.[0]).toBe('user1@example.test');
  });

  it('shows the error with a retry, and the empty state when there is nobody', async () => {
    (await nextRequest()).flush(
      { statusCode: 503, code: ErrorCode.ServiceUnavailable, message: 'Database unavailable', requestId: 'r1' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(element().querySelector('[role="alert"]')?.textContent).toContain('The service is unavailable right now.');
    });

    element().querySelector<HTMLButtonElement>('[role="alert"] button')!.click();
    await answer(await nextRequest(), { items: [], nextCursor: null });

    expect(element().querySelector('[role="alert"]')).toBeNull();
    expect(element().textContent).toContain('No users yet.');
  });
});
