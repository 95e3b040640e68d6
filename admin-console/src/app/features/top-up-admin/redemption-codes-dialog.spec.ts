import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { apiInterceptor } from '@app/core/api.interceptor';
import { RedemptionCodesDialog } from '@app/features/top-up-admin/redemption-codes-dialog';

describe('RedemptionCodesDialog', () => {
  let fixture: ComponentFixture<RedemptionCodesDialog>;
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

  beforeEach(async () => {
    dialogRef = { close: vi.fn(), disableClose: false };
    clipboard = { copy: vi.fn(() => true) };
    TestBed.configureTestingModule({
      imports: [RedemptionCodesDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MatDialogRef, useValue: dialogRef },
        { provide: Clipboard, useValue: clipboard },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RedemptionCodesDialog);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
  });

  it('makes a batch and shows its codes this once, to copy or download', async () => {
    await type('codes-credits', '250');
    await type('codes-count', '2');
    await type('codes-note', '  Conference giveaway ');
    byTestId('codes-save')?.click();
    await fixture.whenStable();

    const sent = backend.expectOne('/api/admin/redemption-codes');
    expect(sent.request.body).toEqual({ credits: 250, count: 2, note: 'Conference giveaway' });
    sent.flush({ batchId: 'b1', codes: ['CG-AAAA-BBBB', 'CG-CCCC-DDDD'] });
    await fixture.whenStable();

    expect(Array.from(element().querySelectorAll('[data-testid="created-code"]'), (code) => code.textContent)).toEqual([
      'CG-AAAA-BBBB',
      'CG-CCCC-DDDD',
    ]);
    expect(element().querySelector('h2')?.textContent).toContain('2 codes of 250 credits');
    expect(dialogRef.disableClose).toBe(true);
    byTestId('copy-codes')?.click();
    expect(clipboard.copy).toHaveBeenCalledWith('CG-AAAA-BBBB\nCG-CCCC-DDDD');
    byTestId('codes-done')?.click();
    expect(dialogRef.close).toHaveBeenCalledWith('b1');
  });

  it('keeps out-of-range counts and a missing note on the form', async () => {
    await type('codes-credits', '10');
    await type('codes-count', '1001');
    byTestId('codes-save')?.click();
    await fixture.whenStable();

    backend.expectNone('/api/admin/redemption-codes');
    const errors = Array.from(element().querySelectorAll('mat-error'), (error) => error.textContent.trim());
    expect(errors).toEqual(['From 1 to 1,000.', 'A note, up to 500 characters.']);
  });
});
