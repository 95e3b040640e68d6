import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { ErrorCode, type PeakHours } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { PeakHoursDialog } from '@app/features/models/peak-hours-dialog';

const URL = '/api/admin/pricing/peak-hours';
const seeded: PeakHours = {
  timeZone: 'Asia/Shanghai',
  weekdays: [1, 2, 3, 4, 5],
  ranges: [
    { from: '09:00', to: '12:00' },
    { from: '14:00', to: '18:00' },
  ],
  holidays: ['2026-10-01', '2026-01-01'],
};

describe('PeakHoursDialog', () => {
  let fixture: ComponentFixture<PeakHoursDialog>;
  let backend: HttpTestingController;
  let dialogRef: { close: ReturnType<typeof vi.fn> };

  const element = () => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string): HTMLElement => {
    const found = element().querySelector<HTMLElement>(`[data-testid="${id}"]`);
    if (!found) throw new Error(`no ${id}`);
    return found;
  };
  const inputOf = (id: string) => byTestId(id) as HTMLInputElement;
  const holidaysShown = () =>
    Array.from(byTestId('peak-holidays').querySelectorAll('mat-chip'), (chip) =>
      chip.textContent.replace('cancel', '').trim(),
    );

  async function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): Promise<void> {
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function click(button: HTMLElement | null | undefined): Promise<void> {
    if (!button) throw new Error('no button');
    button.click();
    await fixture.whenStable();
  }

  async function addHoliday(day: string): Promise<void> {
    await type(inputOf('peak-holiday-date'), day);
    await click(byTestId('peak-holiday-add'));
  }

  beforeEach(async () => {
    dialogRef = { close: vi.fn() };
    TestBed.configureTestingModule({
      imports: [PeakHoursDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MAT_DIALOG_DATA, useValue: seeded },
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PeakHoursDialog);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
  });

  it('adds holidays in date order without repeats, removes one, and saves the whole calendar', async () => {
    expect(holidaysShown()).toEqual(['2026-01-01', '2026-10-01']);
    await addHoliday('2026-05-01');
    await addHoliday('2026-05-01');
    await addHoliday('2027-02-06');
    expect(holidaysShown()).toEqual(['2026-01-01', '2026-05-01', '2026-10-01', '2027-02-06']);
    await click(element().querySelector<HTMLElement>('[aria-label="Remove holiday 2026-01-01"]'));
    expect(holidaysShown()).toEqual(['2026-05-01', '2026-10-01', '2027-02-06']);

    // Saturday mornings too, and the afternoon hours removed.
    await click(byTestId('peak-day-6').querySelector('input'));
    await click(element().querySelector<HTMLElement>('[aria-label="Remove the hours 2"]'));
    await click(byTestId('peak-add-range'));
    const [from, to] = Array.from(
      element().querySelectorAll<HTMLInputElement>('[data-testid="peak-range"]')[1]!.querySelectorAll('input'),
    );
    await type(from!, '20:00');
    await type(to!, '24:00');
    await type(inputOf('peak-reason'), 'Labour Day and an evening peak');
    await click(byTestId('peak-save'));

    const sent = backend.expectOne(URL);
    expect(sent.request.method).toBe('PUT');
    expect(sent.request.body).toEqual({
      timeZone: 'Asia/Shanghai',
      weekdays: [1, 2, 3, 4, 5, 6],
      ranges: [
        { from: '09:00', to: '12:00' },
        { from: '20:00', to: '24:00' },
      ],
      holidays: ['2026-05-01', '2026-10-01', '2027-02-06'],
      reason: 'Labour Day and an evening peak',
    });
    sent.flush(sent.request.body as PeakHours);
    expect(dialogRef.close).toHaveBeenCalled();
  });

  it.each([
    [
      'an unknown time zone',
      async (dialog: { zone: HTMLInputElement; range: HTMLInputElement[] }) => {
        await type(dialog.zone, 'Mars/Olympus_Mons');
      },
    ],
    [
      'an hour that is no time',
      async (dialog: { zone: HTMLInputElement; range: HTMLInputElement[] }) => {
        await type(dialog.range[0]!, '9:00');
      },
    ],
    [
      'hours that end before they start',
      async (dialog: { zone: HTMLInputElement; range: HTMLInputElement[] }) => {
        await type(dialog.range[1]!, '08:00');
      },
    ],
    [
      'an end after 24:00',
      async (dialog: { zone: HTMLInputElement; range: HTMLInputElement[] }) => {
        await type(dialog.range[1]!, '24:01');
      },
    ],
  ])('keeps %s on the form, sending nothing', async (_, change) => {
    const range = Array.from(element().querySelectorAll<HTMLInputElement>('[data-testid="peak-range"] input'));
    await change({ zone: inputOf('peak-zone'), range });
    await click(byTestId('peak-save'));

    expect(element().querySelector('mat-error, [role="alert"]')).not.toBeNull();
    backend.expectNone(URL);
  });

  it("shows the server's validation message on a 400 and stays open", async () => {
    await click(byTestId('peak-save'));
    backend.expectOne(URL).flush(
      {
        statusCode: 400,
        code: ErrorCode.ValidationFailed,
        message: 'The request is not valid.',
        requestId: 'r',
        details: [{ field: 'peakHours', messages: ['timeZone Asia/Shanghai is not a known IANA time zone'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(byTestId('peak-error').textContent).toContain('timeZone Asia/Shanghai is not a known IANA time zone');
    });
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
