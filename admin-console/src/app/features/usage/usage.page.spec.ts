import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideNativeDateAdapter } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { AdminUsageItem, ListResponse } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { UsagePage } from '@app/features/usage/usage.page';

const row = (index: number, overrides: Partial<AdminUsageItem> = {}): AdminUsageItem => ({
  id: String(index),
  userId: '00000000-0000-4000-8000-000000000001',
  email: 'ada@example.test',
  model: 'deepseek-flash',
  status: 'success',
  endpoint: 'chat',
  errorCode: null,
  creditsCharged: 3,
  promptTokens: 12,
  completionTokens: 80,
  cacheHitTokens: 8,
  cacheMissTokens: 4,
  reasoningTokens: 30,
  peak: false,
  latencyMs: 412,
  channel: null,
  attempts: 0,
  createdAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

describe('UsagePage', () => {
  let fixture: ComponentFixture<UsagePage>;
  let backend: HttpTestingController;
  const element = () => fixture.nativeElement as HTMLElement;

  async function nextRequest(url: string): Promise<TestRequest> {
    let found: TestRequest | undefined;
    await vi.waitFor(() => {
      TestBed.tick();
      found = backend.expectOne((request) => request.url === url);
    });
    if (!found) throw new Error(`no request to ${url}`);
    return found;
  }

  function pickStatus(label: string): void {
    element().querySelector<HTMLElement>('[data-testid="usage-status"] .mat-mdc-select-trigger')?.click();
    TestBed.tick();
    const option = Array.from(document.querySelectorAll<HTMLElement>('mat-option')).find(
      (candidate) => candidate.textContent.trim() === label,
    );
    if (!option) throw new Error(`no option ${label}`);
    option.click();
    TestBed.tick();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [UsagePage],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNativeDateAdapter(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(UsagePage);
    fixture.detectChanges();
    (await nextRequest('/api/admin/models')).flush({ items: [], nextCursor: null });
  });

  afterEach(() => {
    backend.verify();
  });

  it('shows each attempt with its user, outcome, credits, tokens, cache hits, reasoning, rate and latency', async () => {
    (await nextRequest('/api/admin/usage')).flush({
      items: [
        row(1),
        row(2, {
          status: 'timeout',
          errorCode: 'AI_PROVIDER_TIMEOUT',
          creditsCharged: 0,
          endpoint: 'openai',
          peak: true,
        }),
        row(3, { cacheHitTokens: 1200, reasoningTokens: 0, peak: null }),
      ],
      nextCursor: null,
    } satisfies ListResponse<AdminUsageItem>);
    await fixture.whenStable();

    const cells = Array.from(element().querySelectorAll('tr[mat-row]'), (tableRow) =>
      Array.from(tableRow.querySelectorAll('td'), (cell) => cell.textContent.trim()),
    );
    expect(cells.map((cellsOfRow) => cellsOfRow.slice(1))).toEqual([
      [
        'ada@example.test',
        'deepseek-flash',
        '/api/ai/chat',
        'Success',
        '3',
        '12 · 80',
        '8',
        '30',
        'Off-peak',
        '412 ms',
      ],
      ['ada@example.test', 'deepseek-flash', '/v1', 'Timeout', '0', '12 · 80', '8', '30', 'Peak', '412 ms'],
      ['ada@example.test', 'deepseek-flash', '/api/ai/chat', 'Success', '3', '12 · 80', '1,200', '0', '—', '412 ms'],
    ]);
  });

  it('asks the API for the chosen outcome from the first page, and exports exactly those rows', async () => {
    (await nextRequest('/api/admin/usage')).flush({ items: [row(1)], nextCursor: 'next' });
    await fixture.whenStable();

    pickStatus('Provider error');
    const filtered = await nextRequest('/api/admin/usage');
    expect(filtered.request.params.get('status')).toBe('provider_error');
    expect(filtered.request.params.has('cursor')).toBe(false);
    filtered.flush({ items: [], nextCursor: null });
    await fixture.whenStable();
    expect(element().textContent).toContain('No request matches these filters.');

    const createObjectURL = vi.fn(() => 'blob:usage');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    element().querySelector<HTMLButtonElement>('[data-testid="export-csv"]')?.click();
    const exported = await nextRequest('/api/admin/usage/export');
    expect(exported.request.params.get('status')).toBe('provider_error');
    expect(exported.request.params.has('limit')).toBe(false);
    exported.flush(new Blob(['id,status\n']), {
      headers: { 'Content-Disposition': 'attachment; filename="usage-2026-11-24.csv"' },
    });

    await vi.waitFor(() => {
      expect(click).toHaveBeenCalledTimes(1);
    });
    expect(click.mock.contexts[0]).toMatchObject({ download: 'usage-2026-11-24.csv', href: 'blob:usage' });
  });
});
