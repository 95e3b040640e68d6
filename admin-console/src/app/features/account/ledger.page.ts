import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { UserApi } from '@app/core/user-api';
import { CursorPager } from '@app/shared/cursor-pager';
import { LedgerTable } from '@app/shared/ledger-table';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { PagerControls } from '@app/shared/pager-controls';

const PAGE_SIZE = 25;

/** Every change of the user's balance, newest first; the amounts sum to the balance. */
@Component({
  selector: 'cg-ledger-page',
  imports: [LedgerTable, LoadState, PagerControls],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="page-header">
      <h1>My ledger</h1>
    </header>
    <p class="muted">
      Every change of your balance: sign-up grant, recharges, redeemed codes, card payments (credited once Stripe
      reports the payment) and the charges of your AI requests. The amounts add up to your balance.
    </p>
    <cg-load-state
      [loading]="ledger.isLoading()"
      [error]="ledger.error()"
      [empty]="rows().length === 0"
      emptyText="No balance changes yet."
      (retry)="ledger.reload()"
    />
    @if (rows().length > 0) {
      <cg-ledger-table [rows]="rows()" />
    }
    <cg-pager-controls [pager]="pager" [nextCursor]="page()?.nextCursor ?? null" />
  `,
})
export class LedgerPage {
  private readonly api = inject(UserApi);

  protected readonly pager = new CursorPager();
  protected readonly ledger = this.api.ledger(() => ({ cursor: this.pager.cursor(), limit: PAGE_SIZE }));
  protected readonly page = loaded(this.ledger);
  protected readonly rows = computed(() => this.page()?.items ?? []);
}
