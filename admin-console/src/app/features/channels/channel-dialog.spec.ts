import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { type AdminModel, type ChannelView, ErrorCode } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { ChannelDialog, type ChannelDialogData } from '@app/features/channels/channel-dialog';

const catalogModel = (model: string, provider: AdminModel['provider'] = 'deepseek'): AdminModel => ({
  model,
  displayName: `${model} display`,
  provider,
  enabled: true,
  upstreamModel: model,
  requestFields: {},
  requestCredits: 0,
  inputCreditsPer1k: 3,
  cachedInputCreditsPer1k: 0.06,
  outputCreditsPer1k: 12,
  offPeakPercent: 50,
  peakNow: true,
  defaultOutputTokens: 8192,
  maxOutputTokens: 393216,
  contextTokens: 1048576,
  readsImages: false,
  updatedAt: '2026-11-30T06:00:00.000Z',
  updatedBy: null,
});

const CATALOG = [catalogModel('deepseek-flash'), catalogModel('deepseek-v4-pro'), catalogModel('demo-chat', 'demo')];

const stored: ChannelView = {
  id: '00000000-0000-4000-8000-0000000000c1',
  name: 'backup',
  kind: 'openai-compatible',
  builtIn: false,
  baseUrl: 'https://llm.example.test/v1',
  apiKeyLast4: 'x9Qz',
  models: ['deepseek-flash'],
  upstreamModels: {},
  priority: 1,
  weight: 2,
  enabled: true,
  disabledReason: null,
  state: 'healthy',
  coolingUntil: null,
  lastHour: { requests: 0, failures: 0, failureRate: null, p50LatencyMs: null, lastError: null },
  balance: null,
  createdAt: '2026-12-06T10:00:00.000Z',
  updatedAt: '2026-12-06T10:00:00.000Z',
};

describe('ChannelDialog', () => {
  let fixture: ComponentFixture<ChannelDialog>;
  let backend: HttpTestingController;
  let dialogRef: { close: ReturnType<typeof vi.fn> };

  const element = () => fixture.nativeElement as HTMLElement;
  const field = (id: string) => {
    const input = element().querySelector<HTMLInputElement>(`[data-testid="${id}"]`);
    if (!input) throw new Error(`no ${id}`);
    return input;
  };

  async function type(id: string, value: string): Promise<void> {
    const input = field(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function pickModels(...labels: string[]): Promise<void> {
    element().querySelector<HTMLElement>('[data-testid="channel-models"] .mat-mdc-select-trigger')?.click();
    await fixture.whenStable();
    for (const label of labels) {
      const option = Array.from(document.querySelectorAll<HTMLElement>('mat-option')).find((candidate) =>
        candidate.textContent.trim().startsWith(label),
      );
      if (!option) throw new Error(`no option ${label}`);
      option.click();
      await fixture.whenStable();
    }
  }

  const optionLabels = () =>
    Array.from(document.querySelectorAll<HTMLElement>('mat-option'), (option) => option.textContent.trim());

  async function save(): Promise<void> {
    element().querySelector<HTMLButtonElement>('[data-testid="channel-save"]')?.click();
    await fixture.whenStable();
  }

  async function open(data: ChannelDialogData): Promise<void> {
    dialogRef = { close: vi.fn() };
    TestBed.configureTestingModule({
      imports: [ChannelDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ChannelDialog);
    let catalog: TestRequest | undefined;
    await vi.waitFor(() => {
      TestBed.tick();
      catalog = backend.expectOne('/api/admin/models');
    });
    catalog?.flush({ items: CATALOG, nextCursor: null });
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    // Select panels live in the overlay container, outside the fixture.
    document.querySelectorAll('.cdk-overlay-container').forEach((container) => {
      container.remove();
    });
  });

  it('adds a channel with its key, the chosen catalog models and an upstream name', async () => {
    await open({ channel: null });
    const key = field('channel-api-key');
    expect(key.type).toBe('password');
    expect(key.value).toBe('');

    await type('channel-name', 'backup');
    await type('channel-base-url', 'https://llm.example.test/v1');
    await type('channel-api-key', 'sk-live-0123456789abcdef');
    await pickModels('deepseek-flash', 'deepseek-v4-pro');
    // The demo models answer inside CreditGate: no upstream can serve them.
    expect(optionLabels()).toEqual([
      'deepseek-flash · deepseek-flash display',
      'deepseek-v4-pro · deepseek-v4-pro display',
    ]);
    await type('channel-upstream-deepseek-flash', 'flash-2');
    // The typed key lives in the input's value only: nothing on the page repeats it.
    expect(element().innerHTML).not.toContain('sk-live-0123456789abcdef');
    await type('channel-priority', '2');
    await type('channel-weight', '3');
    await save();

    const sent = backend.expectOne('/api/admin/channels');
    expect(sent.request.method).toBe('POST');
    expect(sent.request.body).toEqual({
      name: 'backup',
      kind: 'deepseek',
      baseUrl: 'https://llm.example.test/v1',
      apiKey: 'sk-live-0123456789abcdef',
      models: ['deepseek-flash', 'deepseek-v4-pro'],
      upstreamModels: { 'deepseek-flash': 'flash-2' },
      priority: 2,
      weight: 3,
      enabled: true,
    });
    const saved = { ...stored, apiKeyLast4: 'cdef' };
    sent.flush(saved, { status: 201, statusText: 'Created' });
    expect(dialogRef.close).toHaveBeenCalledWith(saved);
  });

  it('refuses a new channel without a key, a model or a valid URL, sending nothing', async () => {
    await open({ channel: null });
    await type('channel-name', 'backup');
    await type('channel-base-url', 'llm.example.test');
    await save();

    const errors = Array.from(element().querySelectorAll('mat-error'), (error) => error.textContent.trim());
    expect(errors).toEqual(['An http:// or https:// address.', "The channel's API key.", 'Choose at least one model.']);
    backend.expectNone('/api/admin/channels');
  });

  it('edits without showing the key: blank keeps it, and only the changed fields are sent', async () => {
    await open({ channel: stored });
    expect(field('channel-api-key').value).toBe('');
    expect(element().textContent).toContain('Blank keeps the stored key (•••• x9Qz).');
    expect(element().innerHTML).not.toContain('sk-');
    expect(field('channel-name').value).toBe('backup');

    await type('channel-weight', '5');
    await save();

    const sent = backend.expectOne(`/api/admin/channels/${stored.id}`);
    expect(sent.request.method).toBe('PATCH');
    expect(sent.request.body).toEqual({ weight: 5 });
    sent.flush({ ...stored, weight: 5 });
    expect(dialogRef.close).toHaveBeenCalledWith({ ...stored, weight: 5 });
  });

  it('replaces the key when a new one is typed', async () => {
    await open({ channel: stored });
    await type('channel-api-key', 'sk-rotated-key-7777');
    await save();

    const sent = backend.expectOne(`/api/admin/channels/${stored.id}`);
    expect(sent.request.body).toEqual({ apiKey: 'sk-rotated-key-7777' });
    sent.flush({ ...stored, apiKeyLast4: '7777' });
  });

  it('closes without a request when nothing changed', async () => {
    await open({ channel: stored });
    await save();

    backend.expectNone(`/api/admin/channels/${stored.id}`);
    expect(dialogRef.close).toHaveBeenCalledWith();
  });

  it('lets the built-in channel change only its priority, weight and switch', async () => {
    const builtIn: ChannelView = {
      ...stored,
      name: 'deepseek',
      kind: 'deepseek',
      builtIn: true,
      baseUrl: 'http://127.0.0.1:9/upstream',
      models: ['deepseek-flash', 'deepseek-v4-pro'],
    };
    await open({ channel: builtIn });
    expect(element().querySelector('[data-testid="channel-api-key"]')).toBeNull();
    expect(field('channel-name').disabled).toBe(true);
    expect(field('channel-base-url').disabled).toBe(true);
    expect(element().querySelector('[data-testid="channel-built-in"]')).not.toBeNull();

    await type('channel-priority', '4');
    element().querySelector<HTMLButtonElement>('[data-testid="channel-enabled-field"] button')?.click();
    await fixture.whenStable();
    await save();

    const sent = backend.expectOne(`/api/admin/channels/${builtIn.id}`);
    expect(sent.request.body).toEqual({ priority: 4, enabled: false });
    sent.flush({ ...builtIn, priority: 4, enabled: false });
  });

  it("shows the server's refusal and stays open", async () => {
    await open({ channel: stored });
    await type('channel-name', 'deepseek');
    await save();
    backend
      .expectOne(`/api/admin/channels/${stored.id}`)
      .flush(
        { statusCode: 400, code: ErrorCode.ValidationFailed, message: 'The name deepseek is taken.', requestId: 'r' },
        { status: 400, statusText: 'Bad Request' },
      );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(element().querySelector('[data-testid="channel-error"]')?.textContent).toContain(
        'The name deepseek is taken.',
      );
    });
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
