import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { type ChannelView, ErrorCode } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { ChannelsPage } from '@app/features/channels/channels.page';

const channel = (index: number, overrides: Partial<ChannelView> = {}): ChannelView => ({
  id: `00000000-0000-4000-8000-00000000000${String(index)}`,
  name: `channel-${String(index)}`,
  kind: 'openai-compatible',
  builtIn: false,
  baseUrl: `https://upstream-${String(index)}.example.test/v1`,
  apiKeyLast4: `k00${String(index)}`,
  models: ['deepseek-flash'],
  upstreamModels: {},
  priority: 0,
  weight: 1,
  enabled: true,
  disabledReason: null,
  state: 'healthy',
  coolingUntil: null,
  lastHour: { requests: 0, failures: 0, failureRate: null, p50LatencyMs: null, lastError: null },
  balance: null,
  createdAt: '2026-12-06T10:00:00.000Z',
  updatedAt: '2026-12-06T10:00:00.000Z',
  ...overrides,
});

const builtIn = channel(1, {
  name: 'deepseek',
  kind: 'deepseek',
  builtIn: true,
  models: ['deepseek-flash', 'deepseek-v4-pro'],
  upstreamModels: { 'deepseek-flash': 'deepseek-v4-flash' },
  lastHour: {
    requests: 1200,
    failures: 100,
    failureRate: 100 / 1200,
    p50LatencyMs: 412,
    lastError: { at: '2026-12-06T09:58:00.000Z', message: 'Upstream answered 503' },
  },
  balance: {
    checkedAt: '2026-12-06T09:59:00.000Z',
    available: true,
    balances: [{ currency: 'CNY', total: '110.00', granted: '10.00', toppedUp: '100.00' }],
    error: null,
  },
});
const cooling = channel(2, { priority: 1, weight: 3, state: 'cooling', coolingUntil: '2026-12-06T10:05:00.000Z' });
const refused = channel(3, {
  kind: 'deepseek',
  enabled: false,
  state: 'disabled',
  disabledReason: 'The upstream refused the key (401).',
  balance: {
    checkedAt: '2026-12-06T09:59:00.000Z',
    available: null,
    balances: [],
    error: 'Balance check answered 401',
  },
});

describe('ChannelsPage', () => {
  let fixture: ComponentFixture<ChannelsPage>;
  let backend: HttpTestingController;
  const element = () => fixture.nativeElement as HTMLElement;
  const rowOf = (name: string) => {
    const row = element().querySelector<HTMLElement>(`tr[data-channel="${name}"]`);
    if (!row) throw new Error(`no row ${name}`);
    return row;
  };
  const cell = (name: string, id: string) => rowOf(name).querySelector(`[data-testid="${id}"]`)?.textContent.trim();

  /** The page's next request, once made (resources and subscriptions are async). */
  async function nextRequest(method: string, url: string): Promise<TestRequest> {
    let found: TestRequest | undefined;
    // Not whenStable(): it would wait for the very request this looks for.
    await vi.waitFor(() => {
      TestBed.tick();
      found = backend.expectOne({ method, url });
    });
    if (!found) throw new Error(`no ${method} ${url}`);
    return found;
  }

  const listRequest = () => nextRequest('GET', '/api/admin/channels');

  async function answerList(channels: ChannelView[]): Promise<void> {
    (await listRequest()).flush(channels);
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ChannelsPage],
      providers: [provideHttpClient(withInterceptors([apiInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ChannelsPage);
    fixture.detectChanges();
  });

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((container) => {
      container.remove();
    });
  });

  it('shows each channel with its state, last-hour figures, balance, and only the last four of its key', async () => {
    await answerList([builtIn, cooling, refused]);

    expect(cell('deepseek', 'channel-key')).toBe('•••• k001');
    expect(cell('deepseek', 'channel-state')).toBe('Healthy');
    expect(cell('deepseek', 'channel-requests')).toBe('1,200');
    expect(cell('deepseek', 'channel-failure-rate')).toBe('8.3 %');
    expect(cell('deepseek', 'channel-p50')).toBe('412 ms');
    expect(cell('deepseek', 'channel-last-error')).toContain('Upstream answered 503');
    expect(cell('deepseek', 'channel-balance')).toContain('CNY 110.00');
    expect(cell('deepseek', 'channel-models-cell')).toContain('deepseek-flash → deepseek-v4-flash');
    expect(rowOf('deepseek').textContent).toContain('built-in');
    expect(cell('deepseek', 'channel-kind')).toBe('deepseek · https://upstream-1.example.test/v1');
    // The built-in channel is the environment's: it can be edited and tested, never deleted.
    expect(rowOf('deepseek').querySelector('[data-testid="channel-delete"]')).toBeNull();

    expect(cell('channel-2', 'channel-routing')).toBe('1 / 3');
    expect(cell('channel-2', 'channel-state')).toMatch(/^Cooling\s*until /);
    expect(cell('channel-2', 'channel-failure-rate')).toBe('—');
    expect(cell('channel-2', 'channel-balance')).toBe('—');

    expect(cell('channel-3', 'channel-state')).toMatch(/^Disabled\s*The upstream refused the key \(401\)\.$/);
    expect(cell('channel-3', 'channel-balance')).toContain('Balance check answered 401');
    expect(
      rowOf('channel-3')
        .querySelector<HTMLInputElement>('[data-testid="channel-enabled"] button')
        ?.getAttribute('aria-checked'),
    ).toBe('false');
  });

  it('tests a channel and shows the answer, then reloads its figures', async () => {
    await answerList([cooling]);

    rowOf('channel-2').querySelector<HTMLButtonElement>('[data-testid="channel-test"]')?.click();
    const test = await nextRequest('POST', `/api/admin/channels/${cooling.id}/test`);
    test.flush({ ok: false, model: 'deepseek-flash', latencyMs: 1200, error: 'Upstream answered 429' });
    await answerList([cooling]);

    expect(cell('channel-2', 'channel-test-result')).toMatch(/^Failed · 1,200 ms\s+Upstream answered 429$/);
  });

  it('switches a channel off and on in place', async () => {
    await answerList([cooling]);

    rowOf('channel-2').querySelector<HTMLButtonElement>('[data-testid="channel-enabled"] button')?.click();
    const off = await nextRequest('PATCH', `/api/admin/channels/${cooling.id}`);
    expect(off.request.body).toEqual({ enabled: false });
    off.flush({ ...cooling, enabled: false, state: 'disabled' });
    await fixture.whenStable();

    expect(cell('channel-2', 'channel-state')).toMatch(/^Disabled\s*Turned off by an admin$/);
    rowOf('channel-2').querySelector<HTMLButtonElement>('[data-testid="channel-enabled"] button')?.click();
    const on = await nextRequest('PATCH', `/api/admin/channels/${cooling.id}`);
    expect(on.request.body).toEqual({ enabled: true });
    on.flush({ ...cooling, state: 'healthy' });
    await fixture.whenStable();
    expect(cell('channel-2', 'channel-state')).toBe('Healthy');
  });

  it('puts the switch back and says why when the change is refused', async () => {
    await answerList([cooling]);
    const toggle = () => rowOf('channel-2').querySelector<HTMLButtonElement>('[data-testid="channel-enabled"] button');

    toggle()?.click();
    (await nextRequest('PATCH', `/api/admin/channels/${cooling.id}`)).flush(
      { statusCode: 403, code: ErrorCode.Forbidden, message: 'Admins only', requestId: 'r1' },
      { status: 403, statusText: 'Forbidden' },
    );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain(
        'You are not allowed to do this.',
      );
    });
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(toggle()?.getAttribute('aria-checked')).toBe('true');
    });
  });

  it('deletes a channel after a confirmation', async () => {
    await answerList([builtIn, cooling]);

    rowOf('channel-2').querySelector<HTMLButtonElement>('[data-testid="channel-delete"]')?.click();
    await fixture.whenStable();
    expect(document.querySelector('mat-dialog-container')?.textContent).toContain('Delete channel channel-2?');
    backend.expectNone(`/api/admin/channels/${cooling.id}`);
    document.querySelector<HTMLButtonElement>('[data-testid="confirm"]')?.click();

    const deleted = await nextRequest('DELETE', `/api/admin/channels/${cooling.id}`);
    deleted.flush(null, { status: 204, statusText: 'No Content' });
    await answerList([builtIn]);
    expect(element().querySelector('tr[data-channel="channel-2"]')).toBeNull();
  });

  it('shows the error with a retry, and the empty state when there is no channel', async () => {
    (await listRequest()).flush(
      { statusCode: 503, code: ErrorCode.ServiceUnavailable, message: 'Database unavailable', requestId: 'r1' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(element().querySelector('[role="alert"]')?.textContent).toContain('The service is unavailable right now.');
    });

    element().querySelector<HTMLButtonElement>('[role="alert"] button')?.click();
    await answerList([]);
    expect(element().textContent).toContain('No channels yet');
  });
});
