import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { type ApiKeyView, ErrorCode } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { apiInterceptor } from '@app/core/api.interceptor';
import { KeyLimitsDialog, type KeyLimitsDialogData } from '@app/shared/spend-controls/key-limits-dialog';

const USER_ID = '7b0c5c1e-6f0a-4c55-9c2e-0d6f3c1a2b3c';
const key: ApiKeyView = {
  id: '0e6d7c4b-1a2b-4c3d-8e9f-001122334455',
  name: 'build server',
  prefix: 'cg_live_AbCd1234',
  creditLimit: null,
  creditsSpent: 120,
  budget: { credits: 100, period: 'day' },
  models: ['deepseek-flash'],
  expiresAt: '2020-01-01T00:00:00.000Z',
  allowedIps: null,
  spend: { period: 'day', credits: 40, periodStart: '2026-11-30T00:00:00.000Z', resetsAt: '2026-12-01T00:00:00.000Z' },
  lastUsedAt: null,
  createdAt: '2026-11-01T00:00:00.000Z',
};
const keyUrl = `/api/admin/users/${USER_ID}/keys/${key.id}`;

describe('KeyLimitsDialog', () => {
  let fixture: ComponentFixture<KeyLimitsDialog>;
  let backend: HttpTestingController;
  let dialogRef: { close: ReturnType<typeof vi.fn> };

  const element = () => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string) => element().querySelector<HTMLElement>(`[data-testid="${id}"]`);

  async function type(id: string, value: string): Promise<void> {
    const input = element().querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${id}"]`);
    if (!input) throw new Error(`no ${id}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function save(): Promise<void> {
    byTestId('key-limits-save')?.click();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    dialogRef = { close: vi.fn() };
    TestBed.configureTestingModule({
      imports: [KeyLimitsDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: MAT_DIALOG_DATA,
          useFactory: (): KeyLimitsDialogData => {
            const api = TestBed.inject(AdminApi);
            return { key, askReason: true, save: (change) => api.updateUserApiKey(USER_ID, key.id, change) };
          },
        },
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(KeyLimitsDialog);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
  });

  it('sends only the limits that changed — an untouched expiry in the past is not sent back', async () => {
    await type('key-budget-credits', '50');
    await type('key-models', 'deepseek-flash, deepseek-v4-pro');
    await type('key-allowed-ips', '203.0.113.0/24\n2001:db8::/32');
    await type('key-limits-reason', '  tighter for the trial ');
    await save();

    const sent = backend.expectOne(keyUrl);
    expect(sent.request.method).toBe('PATCH');
    expect(sent.request.body).toEqual({
      budget: { credits: 50, period: 'day' },
      models: ['deepseek-flash', 'deepseek-v4-pro'],
      allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
      reason: 'tighter for the trial',
    });
    const updated = { ...key, budget: { credits: 50, period: 'day' as const } };
    sent.flush(updated);
    expect(dialogRef.close).toHaveBeenCalledWith(updated);
  });

  it('removes the limits whose field was emptied (null)', async () => {
    await type('key-budget-credits', '');
    await type('key-models', '  ');
    await type('key-expires-at', '');
    await save();

    expect(backend.expectOne(keyUrl).request.body).toEqual({ budget: null, models: null, expiresAt: null });
  });

  it('closes without a request when nothing changed', async () => {
    await save();

    backend.expectNone(keyUrl);
    expect(dialogRef.close).toHaveBeenCalledWith();
  });

  it('keeps a budget that is not a whole number on the form', async () => {
    await type('key-budget-credits', '2.5');
    await save();

    backend.expectNone(keyUrl);
    expect(element().querySelector('mat-error')?.textContent).toContain('whole number');
  });

  it('shows the server’s refusal and stays open', async () => {
    await type('key-models', 'gpt-9');
    await save();

    backend.expectOne(keyUrl).flush(
      {
        statusCode: 400,
        code: ErrorCode.ValidationFailed,
        message: 'models names unknown model ids: gpt-9',
        requestId: 'r',
        details: [{ field: 'models', messages: ['models names unknown model ids: gpt-9'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(byTestId('key-limits-error')?.textContent).toContain('gpt-9');
    });
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
