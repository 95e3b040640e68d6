import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { debounceTime, distinctUntilChanged } from 'rxjs';
import { AdminApi } from '@app/core/admin-api';
import { CursorPager } from '@app/shared/cursor-pager';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { PagerControls } from '@app/shared/pager-controls';

const PAGE_SIZE = 20;
const SEARCH_DEBOUNCE_MS = 250;

/** All accounts, newest first, searchable by part of the e-mail. */
@Component({
  selector: 'cg-users-page',
  imports: [
    DatePipe,
    DecimalPipe,
    LoadState,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatTableModule,
    PagerControls,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './users.page.html',
  styleUrl: './users.page.scss',
})
export class UsersPage {
  private readonly api = inject(AdminApi);
  private readonly narrow = narrowScreen();

  protected readonly searchText = signal('');
  /** The search the table shows: the typed text, once typing pauses. */
  private readonly search = toSignal(
    toObservable(this.searchText).pipe(debounceTime(SEARCH_DEBOUNCE_MS), distinctUntilChanged()),
    { initialValue: '' },
  );
  /** A new search starts again at the first page. */
  protected readonly pager = new CursorPager(() => this.search());
  protected readonly users = this.api.users(() => ({
    search: this.search().trim() || undefined,
    cursor: this.pager.cursor(),
    limit: PAGE_SIZE,
  }));
  protected readonly page = loaded(this.users);
  protected readonly rows = computed(() => this.page()?.items ?? []);
  protected readonly columns = computed(() =>
    this.narrow() ? ['email', 'available'] : ['email', 'role', 'status', 'balance', 'held', 'available', 'createdAt'],
  );
}
