import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { type AdminUsageQuery, USAGE_STATUSES, type UsageStatusName } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { toApiError } from '@app/core/api-error';
import { CursorPager } from '@app/shared/cursor-pager';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { PagerControls } from '@app/shared/pager-controls';
import { saveFile } from '@app/shared/save-file';
import { usageStatusLabel } from '@app/shared/status-chip';
import { type UsageColumn, UsageTable } from '@app/shared/usage-table';
import { type PickedUser, UserPicker } from '@app/shared/user-picker';

const PAGE_SIZE = 25;
const DAY_MS = 86_400_000;

/** A picked calendar day as the instant it starts (local time), in the API's ISO form. */
export function startOfDay(day: Date): string {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate()).toISOString();
}

/** The exclusive end of a picked last day: the start of the next one. */
export function endOfDay(day: Date): string {
  return new Date(new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime() + DAY_MS).toISOString();
}

/** Everyone's AI attempts, filtered and paged, with a CSV download of what the filters select. */
@Component({
  selector: 'cg-usage-page',
  imports: [
    FormsModule,
    LoadState,
    MatButtonModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    PagerControls,
    UsageTable,
    UserPicker,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './usage.page.html',
  styleUrl: './usage.page.scss',
})
export class UsagePage {
  private readonly api = inject(AdminApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly narrow = narrowScreen();

  /** `?userId=&email=` from a user's page: that user is the first filter. */
  readonly userId = input<string | undefined>(undefined);
  readonly email = input<string | undefined>(undefined);

  protected readonly statuses = USAGE_STATUSES;
  protected readonly statusLabel = usageStatusLabel;
  protected readonly models = loaded(this.api.models());

  /** The user filter: the link's user until the admin picks another, or none. */
  protected readonly user = linkedSignal<PickedUser | null>(() => {
    const id = this.userId();
    return id === undefined ? null : { id, email: this.email() ?? id };
  });
  protected readonly status = signal<UsageStatusName | undefined>(undefined);
  protected readonly model = signal<string | undefined>(undefined);
  protected readonly fromDay = signal<Date | null>(null);
  protected readonly toDay = signal<Date | null>(null);
  protected readonly exporting = signal(false);

  /** The filters as the API takes them; the page list and the CSV export use the same. */
  protected readonly filters = computed<AdminUsageQuery>(() => {
    const from = this.fromDay();
    const to = this.toDay();
    return {
      userId: this.user()?.id,
      status: this.status(),
      model: this.model(),
      from: from ? startOfDay(from) : undefined,
      to: to ? endOfDay(to) : undefined,
    };
  });
  /** Any filter change starts again at the first page. */
  protected readonly pager = new CursorPager(() => this.filters());
  protected readonly usage = this.api.usage(() => ({
    ...this.filters(),
    cursor: this.pager.cursor(),
    limit: PAGE_SIZE,
  }));
  protected readonly page = loaded(this.usage);
  protected readonly rows = computed(() => this.page()?.items ?? []);
  protected readonly hasFilters = computed(() => Object.values(this.filters()).some((value) => value !== undefined));
  protected readonly columns = computed((): UsageColumn[] =>
    this.narrow()
      ? ['createdAt', 'statusAndChannel', 'creditsCharged', 'peak']
      : [
          'createdAt',
          'email',
          'model',
          'endpoint',
          'status',
          'channel',
          'creditsCharged',
          'tokens',
          'cacheHitTokens',
          'reasoningTokens',
          'peak',
          'latencyMs',
        ],
  );

  protected clearFilters(): void {
    this.user.set(null);
    this.status.set(undefined);
    this.model.set(undefined);
    this.fromDay.set(null);
    this.toDay.set(null);
  }

  protected exportCsv(): void {
    this.exporting.set(true);
    this.api.exportUsage(this.filters()).subscribe({
      next: ({ file, name }) => {
        saveFile(file, name);
        this.exporting.set(false);
      },
      error: (error: unknown) => {
        this.exporting.set(false);
        this.snackBar.open(toApiError(error).summary, 'OK', { duration: 8000 });
      },
    });
  }
}
