import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTableModule } from '@angular/material/table';
import type { ApiKeyView } from '@creditgate/contract';
import { narrowScreen } from '@app/shared/narrow-screen';
import { PeriodSpendView } from '@app/shared/spend-controls/period-spend';
import { budgetText } from '@app/shared/spend-controls/spend-text';

/**
 * A user's API keys with their limits and their spend in the current period; each row may be edited
 * or revoked (the parent decides through which API). For the admin's user page and the user's own.
 */
@Component({
  selector: 'cg-api-key-table',
  imports: [DatePipe, DecimalPipe, MatButtonModule, MatIconModule, MatTableModule, PeriodSpendView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="table-wrap">
      <table mat-table [dataSource]="keys()" class="table" data-testid="api-key-table">
        <ng-container matColumnDef="name">
          <th mat-header-cell *matHeaderCellDef>Key</th>
          <td mat-cell *matCellDef="let key">
            <div class="name">{{ key.name }}</div>
            <code class="muted">{{ key.prefix }}…</code>
          </td>
        </ng-container>
        <ng-container matColumnDef="spend">
          <th mat-header-cell *matHeaderCellDef>Spend</th>
          <td mat-cell *matCellDef="let key">
            <cg-period-spend [spend]="key.spend" [limit]="key.budget" />
          </td>
        </ng-container>
        <ng-container matColumnDef="limits">
          <th mat-header-cell *matHeaderCellDef>Limits</th>
          <td mat-cell *matCellDef="let key" class="limits" data-testid="key-limits">
            <div>Budget: {{ key.budget ? budget(key.budget) : 'none' }}</div>
            <div>Models: {{ key.models ? key.models.join(', ') : 'all' }}</div>
            <div>Addresses: {{ key.allowedIps ? key.allowedIps.join(', ') : 'any' }}</div>
            <div>
              Expires:
              @if (key.expiresAt) {
                <span [class.expired]="expired(key)"
                  >{{ key.expiresAt | date: 'medium' }}{{ expired(key) ? ' (expired)' : '' }}</span
                >
              } @else {
                never
              }
            </div>
            @if (key.creditLimit !== null) {
              <div>Lifetime: {{ key.creditsSpent | number }} of {{ key.creditLimit | number }} credits</div>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="lastUsedAt">
          <th mat-header-cell *matHeaderCellDef>Last used</th>
          <td mat-cell *matCellDef="let key">{{ key.lastUsedAt ? (key.lastUsedAt | date: 'short') : 'never' }}</td>
        </ng-container>
        <ng-container matColumnDef="actions">
          <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
          <td mat-cell *matCellDef="let key" class="actions">
            <button
              mat-button
              type="button"
              (click)="editLimits.emit(key)"
              [attr.aria-label]="'Edit limits of ' + key.name"
            >
              Edit limits
            </button>
            <button
              mat-button
              type="button"
              class="danger"
              (click)="revoke.emit(key)"
              [attr.aria-label]="'Revoke ' + key.name"
            >
              Revoke
            </button>
          </td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns()"></tr>
        <tr mat-row *matRowDef="let key; columns: columns()" [attr.data-key-id]="key.id"></tr>
      </table>
    </div>
  `,
  styles: `
    .name {
      font-weight: 500;
      overflow-wrap: anywhere;
    }
    .limits {
      font: var(--mat-sys-body-small);
      max-width: 320px;
      overflow-wrap: anywhere;
    }
    .expired {
      color: var(--mat-sys-error);
    }
    .actions {
      white-space: nowrap;
    }
    .danger {
      color: var(--mat-sys-error);
    }
  `,
})
export class ApiKeyTable {
  private readonly narrow = narrowScreen();

  readonly keys = input.required<readonly ApiKeyView[]>();
  readonly editLimits = output<ApiKeyView>();
  readonly revoke = output<ApiKeyView>();

  protected readonly columns = computed(() =>
    this.narrow() ? ['name', 'spend', 'actions'] : ['name', 'spend', 'limits', 'lastUsedAt', 'actions'],
  );
  protected readonly budget = budgetText;
  protected readonly expired = (key: ApiKeyView): boolean =>
    key.expiresAt !== null && new Date(key.expiresAt).getTime() <= Date.now();
}
