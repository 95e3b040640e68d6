import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { AdminUsageItem, AdminUsageQuery } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { UsageFilterState } from '@app/shared/usage-filters/usage-filter-state';
import { UsageFilters } from '@app/shared/usage-filters/usage-filters';
import { UsageList } from '@app/shared/usage-list';
import { UsageListView } from '@app/shared/usage-list-view';
import type { UsageColumn } from '@app/shared/usage-table';
import { type PickedUser, UserPicker } from '@app/shared/user-picker';

/** Everyone's AI attempts, filtered and paged, with a CSV download of what the filters select. */
@Component({
  selector: 'cg-usage-page',
  imports: [MatButtonModule, MatIconModule, UsageFilters, UsageListView, UserPicker],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './usage.page.html',
  styleUrl: './usage.page.scss',
})
export class UsagePage {
  private readonly api = inject(AdminApi);
  private readonly narrow = narrowScreen();

  /** `?userId=&email=` from a user's page: that user is the first filter. */
  readonly userId = input<string | undefined>(undefined);
  readonly email = input<string | undefined>(undefined);

  private readonly models = loaded(this.api.models());
  protected readonly modelNames = computed(() => (this.models()?.items ?? []).map((option) => option.model));

  /** The user filter: the link's user until the admin picks another, or none. */
  protected readonly user = linkedSignal<PickedUser | null>(() => {
    const id = this.userId();
    return id === undefined ? null : { id, email: this.email() ?? id };
  });
  protected readonly filters = new UsageFilterState();
  protected readonly list = new UsageList<AdminUsageQuery, AdminUsageItem>(
    () => ({ userId: this.user()?.id, ...this.filters.query() }),
    { list: (query) => this.api.usage(query), export: (query) => this.api.exportUsage(query) },
  );
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
    this.filters.clear();
  }
}
