import { computed, type Signal, inject, signal } from '@angular/core';
import type { HttpResourceRef } from '@angular/common/http';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { ListResponse, UsageQuery } from '@creditgate/contract';
import type { Observable } from 'rxjs';
import { toApiError } from '@app/core/api-error';
import { CursorPager } from '@app/shared/cursor-pager';
import { loaded } from '@app/shared/loaded';
import { saveFile } from '@app/shared/save-file';

const PAGE_SIZE = 25;

/** Where a usage list reads its pages and its CSV from: the user's own API or the admin's. */
export interface UsageSource<Query extends UsageQuery, Item> {
  list(query: () => Query): HttpResourceRef<ListResponse<Item> | undefined>;
  export(query: Query): Observable<{ file: Blob; name: string }>;
}

/**
 * A usage list's plumbing: pages of what the filters select (any filter change starts again at the
 * first page) and a CSV export of the same filters. Create it in a field initializer: it injects
 * the snack bar that reports a failed export.
 */
export class UsageList<Query extends UsageQuery, Item> {
  private readonly snackBar = inject(MatSnackBar);

  readonly pager: CursorPager;
  readonly resource: HttpResourceRef<ListResponse<Item> | undefined>;
  readonly page: Signal<ListResponse<Item> | undefined>;
  readonly rows: Signal<Item[]>;
  readonly hasFilters: Signal<boolean>;
  readonly exporting = signal(false);

  constructor(
    private readonly filters: () => Query,
    private readonly source: UsageSource<Query, Item>,
  ) {
    this.pager = new CursorPager(filters);
    this.resource = source.list(() => ({ ...filters(), cursor: this.pager.cursor(), limit: PAGE_SIZE }));
    this.page = loaded(this.resource);
    this.rows = computed(() => this.page()?.items ?? []);
    this.hasFilters = computed(() => Object.values(filters()).some((value) => value !== undefined));
  }

  exportCsv(): void {
    this.exporting.set(true);
    this.source.export(this.filters()).subscribe({
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
