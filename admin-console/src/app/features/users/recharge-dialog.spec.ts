import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { ErrorCode, type RechargeResponse } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { RechargeDialog, type RechargeDialogData } from '@app/features/users/recharge-dialog';

const data: RechargeDialogData = {
  user: {
    id: '7b0c5c1e-6f0a-4c55-9c2e-0d6f3c1a2b3c',
    email: 'grace@example.test',
    credits: { balance: 900, held: 0, available: 900 },
  },
};
const recharged: RechargeResponse = { ledgerEntryId: '42', balance: 1150, replayed: false };

describe('RechargeDialog', () => {
  let fixture: ComponentFixture<RechargeDialog>;
  let backend: HttpTestingController;
  let dialogRef: { close: ReturnType<typeof vi.fn>; disableClose: boolean };

  const element = () => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string) => element().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const buttonOf = (id: string) => element().querySelector<HTMLButtonElement>(`button[data-testid="${id}"]`);

  async function type(id: string, value: string): Promise<void> {
    const input = element().querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${id}"]`);
    if (!input) throw new Error(`no ${id}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function click(id: string): Promise<void> {
    const button = buttonOf(id);
    if (!button) throw new Error(`no ${id}`);
    button.click();
    await fixture.whenStable();
  }

  async function fillAndReview(amount: string, reason: string): Promise<void> {
    await type('recharge-amount', amount);
    await type('recharge-reason', reason);
    await click('recharge-review');
  }

  beforeEach(async () => {
    dialogRef = { close: vi.fn(), disableClose: false };
    TestBed.configureTestingModule({
      imports: [RechargeDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RechargeDialog);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
  });

  it.each([
    ['0', 'Welcome bonus'],
    ['1.5', 'Welcome bonus'],
    ['1000001', 'Welcome bonus'],
    ['100', '   '],
  ])('keeps amount %s with reason "%s" on the form, sending nothing', async (amount, reason) => {
    await fillAndReview(amount, reason);

    expect(byTestId('recharge-summary')).toBeNull();
    expect(element().querySelector('mat-error')).not.toBeNull();
    backend.expectNone('/api/admin/recharge');
  });

  it('asks for confirmation, then sends one recharge with an Idempotency-Key and closes with the result', async () => {
    await fillAndReview('250', '  Goodwill after the outage ');
    expect(byTestId('recharge-summary')?.textContent).toContain('Add 250 credits to grace@example.test?');

    await click('recharge-confirm');

    const sent = backend.expectOne('/api/admin/recharge');
    expect(sent.request.method).toBe('POST');
    expect(sent.request.body).toEqual({ userId: data.user.id, amount: 250, reason: 'Goodwill after the outage' });
    expect(sent.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);
    sent.flush(recharged);
    expect(dialogRef.close).toHaveBeenCalledWith(recharged);
  });

  it('sends a double-clicked confirm once, and cannot be closed while it runs', async () => {
    await fillAndReview('250', 'Goodwill');

    buttonOf('recharge-confirm')?.click();
    buttonOf('recharge-confirm')?.click();
    await fixture.whenStable();

    const sent = backend.match('/api/admin/recharge');
    expect(sent).toHaveLength(1);
    expect(buttonOf('recharge-confirm')?.disabled).toBe(true);
    expect(dialogRef.disableClose).toBe(true);
    sent[0]?.flush(recharged);
  });

  it('retries a failed recharge with the same key (so it adds at most once), and a changed one with a new key', async () => {
    await fillAndReview('250', 'Goodwill');
    await click('recharge-confirm');
    const first = backend.expectOne('/api/admin/recharge');
    const key = first.request.headers.get('Idempotency-Key');
    first.error(new ProgressEvent('error'), { status: 0, statusText: '' });
    // The interceptor reads error bodies asynchronously; wait (with a deadline) for the message.
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(byTestId('recharge-error')?.textContent).toContain('Cannot reach the server');
    });
    expect(dialogRef.close).not.toHaveBeenCalled();

    await click('recharge-confirm');
    const retry = backend.expectOne('/api/admin/recharge');
    expect(retry.request.headers.get('Idempotency-Key')).toBe(key);
    retry.flush(
      { statusCode: 503, code: ErrorCode.ServiceUnavailable, message: 'Database unavailable', requestId: 'r' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(byTestId('recharge-error')?.textContent).toContain('unavailable');
    });

    element().querySelector<HTMLButtonElement>('mat-dialog-actions button')?.click();
    await fixture.whenStable();
    await fillAndReview('300', 'Goodwill');
    await click('recharge-confirm');
    const changed = backend.expectOne('/api/admin/recharge');
    expect(changed.request.body).toMatchObject({ amount: 300 });
    expect(changed.request.headers.get('Idempotency-Key')).not.toBe(key);
    changed.flush({ ...recharged, balance: 1200 });
    expect(dialogRef.close).toHaveBeenCalledWith({ ...recharged, balance: 1200 });
  });
});
