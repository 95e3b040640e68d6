import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { type AdminModel, ErrorCode } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { PriceDialog } from '@app/features/models/price-dialog';

const alias: AdminModel = {
  model: 'deepseek-chat',
  displayName: 'deepseek-chat (V4.1-Flash, thinking off)',
  provider: 'deepseek',
  enabled: true,
  upstreamModel: 'deepseek-flash',
  requestFields: { thinking: { type: 'disabled' } },
  requestCredits: 0,
  inputCreditsPer1k: 3,
  cachedInputCreditsPer1k: 3,
  outputCreditsPer1k: 12,
  offPeakPercent: 50,
  peakNow: true,
  defaultOutputTokens: 8192,
  maxOutputTokens: 393216,
  contextTokens: 1048576,
  readsImages: true,
  updatedAt: '2026-11-30T06:00:00.000Z',
  updatedBy: null,
};

describe('PriceDialog', () => {
  let fixture: ComponentFixture<PriceDialog>;
  let backend: HttpTestingController;
  let dialogRef: { close: ReturnType<typeof vi.fn> };

  const element = () => fixture.nativeElement as HTMLElement;
  const field = (id: string) => {
    const input = element().querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${id}"]`);
    if (!input) throw new Error(`no ${id}`);
    return input;
  };

  async function type(id: string, value: string): Promise<void> {
    const input = field(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function save(): Promise<void> {
    element().querySelector<HTMLButtonElement>('[data-testid="price-save"]')?.click();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    dialogRef = { close: vi.fn() };
    TestBed.configureTestingModule({
      imports: [PriceDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MAT_DIALOG_DATA, useValue: alias },
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PriceDialog);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
  });

  it('shows the upstream model and its fixed fields, and starts with the current values', () => {
    expect(field('price-upstream').textContent).toContain('Calls deepseek-flash with thinking disabled');
    // The cache-hit rate equals the miss rate: shown empty, which is what "the input rate" means.
    expect(field('price-cached-input').value).toBe('');
    expect(field('price-off-peak').value).toBe('50');
    expect(field('price-default-output').value).toBe('8192');
  });

  it('saves the cache-hit rate, the off-peak percentage and the default output with the reason', async () => {
    await type('price-cached-input', '0.06');
    await type('price-off-peak', '40');
    await type('price-default-output', '16384');
    await type('price-reason', ' Cheaper nights ');
    await save();

    const sent = backend.expectOne('/api/admin/models/deepseek-chat');
    expect(sent.request.method).toBe('PUT');
    expect(sent.request.body).toEqual({
      enabled: true,
      requestCredits: 0,
      inputCreditsPer1k: 3,
      cachedInputCreditsPer1k: 0.06,
      outputCreditsPer1k: 12,
      offPeakPercent: 40,
      defaultOutputTokens: 16384,
      reason: 'Cheaper nights',
    });
    const saved = { ...alias, cachedInputCreditsPer1k: 0.06, offPeakPercent: 40, defaultOutputTokens: 16384 };
    sent.flush(saved);
    expect(dialogRef.close).toHaveBeenCalledWith(saved);
  });

  it('leaves out an empty cache-hit rate and off-peak percentage, so the API applies its defaults', async () => {
    await type('price-off-peak', '');
    await save();

    const sent = backend.expectOne('/api/admin/models/deepseek-chat');
    expect(sent.request.body).not.toHaveProperty('cachedInputCreditsPer1k');
    expect(sent.request.body).not.toHaveProperty('offPeakPercent');
    sent.flush(alias);
  });

  it.each([
    ['price-off-peak', '0'],
    ['price-off-peak', '101'],
    ['price-off-peak', '50.5'],
    ['price-cached-input', '0.00001'],
    ['price-cached-input', '-1'],
    ['price-default-output', '393217'],
    ['price-default-output', '0'],
  ])('keeps %s = %s on the form, sending nothing', async (id, value) => {
    await type(id, value);
    await save();

    expect(element().querySelector('mat-error')).not.toBeNull();
    backend.expectNone('/api/admin/models/deepseek-chat');
  });

  it("shows the server's refusal and stays open", async () => {
    await save();
    backend
      .expectOne('/api/admin/models/deepseek-chat')
      .flush(
        { statusCode: 400, code: ErrorCode.ValidationFailed, message: 'A model must cost something.', requestId: 'r' },
        { status: 400, statusText: 'Bad Request' },
      );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(element().querySelector('[role="alert"]')?.textContent).toContain('A model must cost something.');
    });
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
