import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import type { SpendBudget } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { apiInterceptor } from '@app/core/api.interceptor';
import { SpendLimitDialog, type SpendLimitDialogData } from '@app/shared/spend-controls/spend-limit-dialog';

const USER_ID = '7b0c5c1e-6f0a-4c55-9c2e-0d6f3c1a2b3c';
const userUrl = `/api/admin/users/${USER_ID}`;

describe('SpendLimitDialog', () => {
  let fixture: ComponentFixture<SpendLimitDialog>;
  let backend: HttpTestingController;
  let dialogRef: { close: ReturnType<typeof vi.fn> };

  const element = () => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string) => element().querySelector<HTMLElement>(`[data-testid="${id}"]`);

  async function open(current: SpendBudget | null): Promise<void> {
    dialogRef = { close: vi.fn() };
    TestBed.configureTestingModule({
      imports: [SpendLimitDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: MAT_DIALOG_DATA,
          useFactory: (): SpendLimitDialogData => {
            const api = TestBed.inject(AdminApi);
            return {
              email: 'grace@example.test',
              current,
              save: (spendLimit, reason) => api.updateAccess(USER_ID, { spendLimit, ...(reason ? { reason } : {}) }),
            };
          },
        },
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SpendLimitDialog);
    await fixture.whenStable();
  }

  async function type(id: string, value: string): Promise<void> {
    const input = element().querySelector<HTMLInputElement>(`[data-testid="${id}"]`);
    if (!input) throw new Error(`no ${id}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function click(id: string): Promise<void> {
    byTestId(id)?.click();
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
  });

  it('sets a limit of whole credits per month by default, and closes once saved', async () => {
    await open(null);
    expect(byTestId('spend-limit-remove')).toBeNull();

    await type('spend-limit-credits', '5000');
    await click('spend-limit-save');

    const sent = backend.expectOne(userUrl);
    expect(sent.request.method).toBe('PATCH');
    expect(sent.request.body).toEqual({ spendLimit: { credits: 5000, period: 'month' } });
    sent.flush({});
    expect(dialogRef.close).toHaveBeenCalledWith(true);
  });

  it('removes a limit with null', async () => {
    await open({ credits: 100, period: 'day' });

    await click('spend-limit-remove');

    expect(backend.expectOne(userUrl).request.body).toEqual({ spendLimit: null });
  });

  it.each(['0', '1.5', ''])('keeps %j on the form, sending nothing', async (credits) => {
    await open(null);

    await type('spend-limit-credits', credits);
    await click('spend-limit-save');

    backend.expectNone(userUrl);
    expect(dialogRef.close).not.toHaveBeenCalled();
  });
});
