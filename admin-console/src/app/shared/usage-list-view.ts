import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { UsageItem, UsageQuery } from '@creditgate/contract';
import { LoadState } from '@app/shared/load-state';
import { PagerControls } from '@app/shared/pager-controls';
import type { UsageList } from '@app/shared/usage-list';
import { type UsageColumn, UsageTable } from '@app/shared/usage-table';

/** A usage list's page: loading, error and "nothing" states, the rows, and the pager under them. */
@Component({
  selector: 'cg-usage-list',
  imports: [LoadState, PagerControls, UsageTable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cg-load-state
      [loading]="list().resource.isLoading()"
      [error]="list().resource.error()"
      [empty]="list().rows().length === 0"
      [emptyText]="list().hasFilters() ? 'No request matches these filters.' : 'No AI requests yet.'"
      (retry)="list().resource.reload()"
    />
    @if (list().rows().length > 0) {
      <cg-usage-table [rows]="list().rows()" [columns]="columns()" />
    }
    <cg-pager-controls [pager]="list().pager" [nextCursor]="list().page()?.nextCursor ?? null" />
  `,
})
export class UsageListView {
  readonly list = input.required<UsageList<UsageQuery, UsageItem>>();
  readonly columns = input.required<UsageColumn[]>();
}
