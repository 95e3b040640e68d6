import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { UsageItem, UsageQuery } from '@creditgate/contract';
import { UserApi } from '@app/core/user-api';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { UsageFilterState } from '@app/shared/usage-filters/usage-filter-state';
import { UsageFilters } from '@app/shared/usage-filters/usage-filters';
import { UsageList } from '@app/shared/usage-list';
import { UsageListView } from '@app/shared/usage-list-view';
import type { UsageColumn } from '@app/shared/usage-table';

/** The user's own AI attempts, filtered and paged, with a CSV download of what the filters select. */
@Component({
  selector: 'cg-my-usage-page',
  imports: [MatButtonModule, MatIconModule, UsageFilters, UsageListView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './my-usage.page.html',
  styleUrl: './account.scss',
})
export class MyUsagePage {
  private readonly api = inject(UserApi);
  private readonly narrow = narrowScreen();

  private readonly models = loaded(this.api.models());
  protected readonly modelNames = computed(() => (this.models()?.items ?? []).map((option) => option.model));
  protected readonly filters = new UsageFilterState();
  protected readonly list = new UsageList<UsageQuery, UsageItem>(() => this.filters.query(), {
    list: (query) => this.api.usage(query),
    export: (query) => this.api.exportUsage(query),
  });
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
}
