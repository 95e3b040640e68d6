import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import type { LedgerItem, LedgerKind } from '@creditgate/contract';
import { narrowScreen } from '@app/shared/narrow-screen';

const LEDGER_KINDS: Record<LedgerKind, string> = {
  signup_grant: 'Signup grant',
  recharge: 'Recharge',
  charge: 'Charge',
  redeem: 'Redemption code',
  payment: 'Card payment',
};

export function ledgerKindLabel(kind: LedgerKind): string {
  return LEDGER_KINDS[kind];
}

/** Balance changes, newest first: signed amounts and the balance after each (kind and reason hidden on a phone). */
@Component({
  selector: 'cg-ledger-table',
  imports: [DatePipe, DecimalPipe, MatTableModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .reason {
      max-width: 360px;
      overflow-wrap: anywhere;
    }
    .kind-under {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  template: `
    <div class="table-wrap">
      <table mat-table [dataSource]="rows()" class="table" data-testid="ledger-table">
        <ng-container matColumnDef="createdAt">
          <th mat-header-cell *matHeaderCellDef>When</th>
          <td mat-cell *matCellDef="let row">
            {{ row.createdAt | date: 'short' }}
            @if (narrow()) {
              <div class="kind-under">{{ kindLabel(row.kind) }}</div>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="kind">
          <th mat-header-cell *matHeaderCellDef>Kind</th>
          <td mat-cell *matCellDef="let row">{{ kindLabel(row.kind) }}</td>
        </ng-container>
        <ng-container matColumnDef="amount">
          <th mat-header-cell *matHeaderCellDef class="number">Amount</th>
          <td
            mat-cell
            *matCellDef="let row"
            class="number"
            [class.positive]="row.amount > 0"
            [class.negative]="row.amount < 0"
          >
            {{ row.amount > 0 ? '+' : '' }}{{ row.amount | number }}
          </td>
        </ng-container>
        <ng-container matColumnDef="balanceAfter">
          <th mat-header-cell *matHeaderCellDef class="number">Balance after</th>
          <td mat-cell *matCellDef="let row" class="number">{{ row.balanceAfter | number }}</td>
        </ng-container>
        <ng-container matColumnDef="reason">
          <th mat-header-cell *matHeaderCellDef>Reason</th>
          <td mat-cell *matCellDef="let row" class="reason">{{ row.reason }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns()"></tr>
        <tr mat-row *matRowDef="let row; columns: columns()"></tr>
      </table>
    </div>
  `,
})
export class LedgerTable {
  protected readonly narrow = narrowScreen();

  readonly rows = input.required<readonly LedgerItem[]>();

  protected readonly kindLabel = ledgerKindLabel;
  protected readonly columns = computed(() =>
    this.narrow() ? ['createdAt', 'amount', 'balanceAfter'] : ['createdAt', 'kind', 'amount', 'balanceAfter', 'reason'],
  );
}
