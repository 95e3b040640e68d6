import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { type CreatedApiKey, ErrorCode } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { CreateKeyDialog, createKeyRequest } from '@app/features/account/create-key-dialog';

const created: CreatedApiKey = {
  id: '0e6d7c4b-1a2b-4c3d-8e9f-001122334455',
  name: 'shop backend',
  prefix: 'cg_live_AbCd1234',
  key: 'cg_live_AbCd1234-the-whole-secret',
  creditLimit: null,
  creditsSpent: 0,
  budget: { credits: 500, period: 'day' },
  models: null,
  expiresAt: null,
  allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
  spend: { period: 'day', credits: 0, periodStart: '2026-12-01T00:00:00.000Z', resetsAt: '2026-12-02T00:00:00.000Z' },
  lastUsedAt: null,
  createdAt: '2026-12-01T10:00:00.000Z',
};

describe('createKeyRequest', () => {
  it('leaves out the limits left empty (none) and splits the address list', () => {
    expect(
      createKeyRequest({
        name: '  laptop ',
        budgetCredits: null,
        budgetPeriod: 'month',
        models: [],
        expiresAt: '',
        allowedIps: ' ',
      }),
    ).toEqual({ name: 'laptop' });
    expect(
      createKeyRequest({
        name: 'ci',
        budgetCredits: 50,
        budgetPeriod: 'week',
        models: ['demo-chat'],
        expiresAt: '2030-01-02T03:04',
        allowedIps: '10.0.0.0/8,\n192.0.2.7',
      }),
    ).toEqual({
      name: 'ci',
      budget: { credits: 50, period: 'week' },
      models: ['demo-chat'],
      expiresAt: new Date('2030-01-02T03:04').toISOString(),
      allowedIps: ['10.0.0.0/8', '192.0.2.7'],
    });
  });
});

describe('CreateKeyDialog', () => {
  let fixture: ComponentFixture<CreateKeyDialog>;
  let backend: HttpTestingController;
  let dialogRef: { close: ReturnType<typeof vi.fn>; disableClose: boolean };
  let clipboard: { copy: ReturnType<typeof vi.fn> };
  const element = () => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string) => element().querySelector<HTMLElement>(`[data-testid="${id}"]`);

  async function type(id: string, value: string): Promise<void> {
    const input = byTestId(id) as HTMLInputElement | HTMLTextAreaElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function submit(): Promise<TestRequest | undefined> {
    byTestId('create-key-save')?.click();
    await fixture.whenStable();
    return backend.match((request) => request.url === '/api/keys' && request.method === 'POST')[0];
  }

  beforeEach(async () => {
    dialogRef = { close: vi.fn(), disableClose: false };
    clipboard = { copy: vi.fn(() => true) };
    TestBed.configureTestingModule({
      imports: [CreateKeyDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MatDialogRef, useValue: dialogRef },
        { provide: Clipboard, useValue: clipboard },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CreateKeyDialog);
    // The model list for the Models field (whenStable would wait for it).
    await vi.waitFor(() => {
      TestBed.tick();
      backend.expectOne('/api/ai/models').flush({ items: [], nextCursor: null });
    });
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
  });

  it('creates the key, shows its secret once with a copy button, and hands the page the key without it', async () => {
    await type('key-name', 'shop backend');
    await type('key-budget-credits', '500');
    await type('key-allowed-ips', '203.0.113.0/24\n2001:db8::/32');
    const sent = await submit();
    expect(sent?.request.body).toEqual({
      name: 'shop backend',
      budget: { credits: 500, period: 'month' },
      allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
    });
    sent?.flush(created);
    await fixture.whenStable();

    expect(byTestId('key-secret')?.textContent).toBe(created.key);
    expect(dialogRef.disableClose).toBe(true);
    byTestId('key-copy-secret')?.click();
    await fixture.whenStable();
    expect(clipboard.copy).toHaveBeenCalledWith(created.key);
    expect(byTestId('key-copy-secret')?.textContent).toContain('Copied');

    byTestId('key-secret-done')?.click();
    const [closedWith] = dialogRef.close.mock.calls[0] as [Record<string, unknown>];
    expect(closedWith['id']).toBe(created.id);
    expect(closedWith).not.toHaveProperty('key');
  });

  it('needs a name and a whole budget before it asks the server', async () => {
    await type('key-budget-credits', '2.5');

    expect(await submit()).toBeUndefined();
    expect(element().querySelectorAll('mat-error').length).toBeGreaterThanOrEqual(2);
  });

  it('shows the server’s refusal and keeps the form', async () => {
    await type('key-name', 'office');
    await type('key-allowed-ips', 'not-an-address');
    (await submit())?.flush(
      {
        statusCode: 400,
        code: ErrorCode.ValidationFailed,
        message: 'allowedIps has an entry that is not an address',
        requestId: 'r',
        details: [{ field: 'allowedIps', messages: ['allowedIps[0] is not an IP address or CIDR range'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(byTestId('create-key-error')?.textContent).toContain('not an IP address');
    });
    expect(byTestId('key-secret')).toBeNull();
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
