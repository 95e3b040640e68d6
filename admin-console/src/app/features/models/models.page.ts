import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import type { AdminModel, PeakHours } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { describePeakHoursChange, describeRanges, describeWeekdays } from '@app/features/models/peak-hours';
import { PeakHoursDialog } from '@app/features/models/peak-hours-dialog';
import { describePriceChange, describeRequestFields } from '@app/features/models/price-change';
import { PriceDialog } from '@app/features/models/price-dialog';
import { CursorPager } from '@app/shared/cursor-pager';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { PagerControls } from '@app/shared/pager-controls';

const AUDIT_PAGE_SIZE = 10;
/** Holidays shown on the card before "and N more". */
const HOLIDAYS_SHOWN = 6;

/** The price table, the peak calendar, and who changed them when and why. */
@Component({
  selector: 'cg-models-page',
  imports: [DatePipe, DecimalPipe, LoadState, MatButtonModule, MatIconModule, MatTableModule, PagerControls],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './models.page.html',
  styleUrl: './models.page.scss',
})
export class ModelsPage {
  private readonly api = inject(AdminApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly narrow = narrowScreen();

  protected readonly models = this.api.models();
  protected readonly peakHours = this.api.peakHours();
  protected readonly describeChange = describePriceChange;
  protected readonly describeCalendarChange = describePeakHoursChange;
  protected readonly describeFields = describeRequestFields;
  protected readonly auditPager = new CursorPager();
  protected readonly audit = this.api.audit(() => ({
    targetType: 'model',
    cursor: this.auditPager.cursor(),
    limit: AUDIT_PAGE_SIZE,
  }));
  protected readonly calendarAuditPager = new CursorPager();
  protected readonly calendarAudit = this.api.audit(() => ({
    targetType: 'pricing',
    cursor: this.calendarAuditPager.cursor(),
    limit: AUDIT_PAGE_SIZE,
  }));
  private readonly modelsPage = loaded(this.models);
  protected readonly rows = computed(() => this.modelsPage()?.items ?? []);
  /** Every row carries the same answer: the calendar is one for the deployment. */
  protected readonly peakNow = computed(() => this.rows()[0]?.peakNow);
  protected readonly calendar = loaded(this.peakHours);
  protected readonly calendarSummary = computed(() => {
    const calendar = this.calendar();
    if (calendar === undefined) return undefined;
    const upcoming = calendar.holidays.filter((day) => day >= new Date().toISOString().slice(0, 10));
    return {
      days: describeWeekdays(calendar.weekdays),
      hours: describeRanges(calendar.ranges),
      upcoming: upcoming.slice(0, HOLIDAYS_SHOWN),
      more: Math.max(0, upcoming.length - HOLIDAYS_SHOWN),
      past: calendar.holidays.length - upcoming.length,
    };
  });
  protected readonly auditPage = loaded(this.audit);
  protected readonly auditRows = computed(() => this.auditPage()?.items ?? []);
  protected readonly calendarAuditPage = loaded(this.calendarAudit);
  protected readonly calendarAuditRows = computed(() => this.calendarAuditPage()?.items ?? []);
  protected readonly columns = computed(() =>
    this.narrow()
      ? ['model', 'enabled', 'rates', 'edit']
      : [
          'model',
          'provider',
          'enabled',
          'requestCredits',
          'cachedInputCreditsPer1k',
          'inputCreditsPer1k',
          'outputCreditsPer1k',
          'offPeakPercent',
          'outputTokens',
          'readsImages',
          'updatedAt',
          'edit',
        ],
  );
  protected readonly auditColumns = computed(() =>
    this.narrow() ? ['createdAt', 'targetId', 'actor'] : ['createdAt', 'targetId', 'actor', 'details', 'reason'],
  );
  protected readonly calendarAuditColumns = computed(() =>
    this.narrow() ? ['createdAt', 'actor', 'details'] : ['createdAt', 'actor', 'details', 'reason'],
  );

  /** "calls deepseek-flash · thinking disabled" for an alias; nothing for a model that calls itself. */
  protected upstreamOf(model: AdminModel): string | null {
    const fields = this.describeFields(model.requestFields);
    if (model.upstreamModel === model.model && fields === '') return null;
    return [`calls ${model.upstreamModel}`, ...(fields === '' ? [] : [fields])].join(' · ');
  }

  protected edit(model: AdminModel): void {
    this.dialog
      .open<PriceDialog, AdminModel, AdminModel>(PriceDialog, { data: model })
      .afterClosed()
      .subscribe((saved) => {
        if (saved === undefined) return;
        this.snackBar.open(`Price of ${saved.model} saved.`, 'OK', { duration: 3000 });
        this.models.reload();
        // The newest change is on the first page.
        this.auditPager.reset();
        this.audit.reload();
      });
  }

  protected editPeakHours(calendar: PeakHours): void {
    this.dialog
      .open<PeakHoursDialog, PeakHours, PeakHours>(PeakHoursDialog, { data: calendar })
      .afterClosed()
      .subscribe((saved) => {
        if (saved === undefined) return;
        this.snackBar.open('Peak hours saved.', 'OK', { duration: 3000 });
        this.peakHours.reload();
        // Whether now is peak may have changed with the calendar.
        this.models.reload();
        this.calendarAuditPager.reset();
        this.calendarAudit.reload();
      });
  }
}
