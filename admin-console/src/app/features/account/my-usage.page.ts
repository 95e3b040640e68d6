import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { USAGE_STATUSES, type UsageQuery, type UsageStatusName } from '@creditgate/contract';
import { toApiError } from '@app/core/api-error';
import { UserApi } from '@app/core/user-api';
import { endOfDay, startOfDay } from '@app/features/usage/usage.page';
import { CursorPager } from '@app/shared/cursor-pager';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { PagerControls } from '@app/shared/pager-controls';
import { saveFile } from '@app/shared/save-file';
import { usageStatusLabel } from '@app/shared/status-chip';
import { type UsageColumn, UsageTable } from '@app/shared/usage-table';

const PAGE_SIZE = 25;

/** The user's own AI attempts, filtered and paged, with a CSV download of what the filters select. */
@Component({
  selector: 'cg-my-usage-page',
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
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './my-usage.page.html',
  styleUrl: './account.scss',
})
export class MyUsagePage {
  private readonly api = inject(UserApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly narrow = narrowScreen();

  protected readonly statuses = USAGE_STATUSES;
  protected readonly statusLabel = usageStatusLabel;
  protected readonly models = loaded(this.api.models());

  protected readonly status = signal<UsageStatusName | undefined>(undefined);
  protected readonly model = signal<string | undefined>(undefined);
  protected readonly fromDay = signal<Date | null>(null);
  protected readonly toDay = signal<Date | null>(null);
  protected readonly exporting = signal(false);

  /** The filters as the API takes them; the page list and the CSV export use the same. */
  protected readonly filters = computed<UsageQuery>(() => {
    const from = this.fromDay();
    const to = this.toDay();
    return {
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
      ? ['createdAt', 'statusAndChannel', 'creditsCharged']
      : [
          'createdAt',
          'model',
          'endpoint',
          'status',
          // Which upstream channel served the request, and the calls a failover took: part of the
          // usage row in the user's view too (docs/channels.md).
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
