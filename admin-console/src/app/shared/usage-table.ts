import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { AdminUsageItem, UsageItem } from '@creditgate/contract';
import { StatusChip } from '@app/shared/status-chip';

export type UsageColumn =
  | 'createdAt'
  | 'email'
  | 'model'
  | 'endpoint'
  | 'status'
  /** The outcome with the upstream channel under it: the phone layout's one column for both. */
  | 'statusAndChannel'
  | 'channel'
  | 'creditsCharged'
  | 'tokens'
  | 'cacheHitTokens'
  | 'reasoningTokens'
  | 'peak'
  | 'latencyMs';

/**
 * Which upstream channel answered (or last failed) and, after a failover, how many calls it took:
 * "deepseek", "backup · 2 attempts"; "—" when the request was refused before any upstream call.
 */
export function upstreamText(row: Pick<UsageItem, 'channel' | 'attempts'>): string {
  const calls = row.attempts > 1 ? `${String(row.attempts)} attempts` : null;
  if (row.channel === null) return calls ?? '—';
  return calls === null ? row.channel : `${row.channel} · ${calls}`;
}

/** AI attempts as a table; the page picks the columns (fewer on a phone, no user on a user's page). */
@Component({
  selector: 'cg-usage-table',
  imports: [DatePipe, DecimalPipe, MatTableModule, RouterLink, StatusChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .rate,
    .channel {
      white-space: nowrap;
    }
    .under-chip {
      margin-top: 2px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      overflow-wrap: anywhere;
    }
  `,
  template: `
    <div class="table-wrap">
      <table mat-table [dataSource]="rows()" class="table" data-testid="usage-table">
        <ng-container matColumnDef="createdAt">
          <th mat-header-cell *matHeaderCellDef>When</th>
          <td mat-cell *matCellDef="let row">{{ row.createdAt | date: 'short' }}</td>
        </ng-container>
        <ng-container matColumnDef="email">
          <th mat-header-cell *matHeaderCellDef>User</th>
          <td mat-cell *matCellDef="let row">
            <a class="link" [routerLink]="['/users', row.userId]">{{ row.email }}</a>
          </td>
        </ng-container>
        <ng-container matColumnDef="model">
          <th mat-header-cell *matHeaderCellDef>Model</th>
          <td mat-cell *matCellDef="let row">{{ row.model }}</td>
        </ng-container>
        <ng-container matColumnDef="endpoint">
          <th mat-header-cell *matHeaderCellDef>API</th>
          <td mat-cell *matCellDef="let row">{{ row.endpoint === 'openai' ? '/v1' : '/api/ai/chat' }}</td>
        </ng-container>
        <ng-container matColumnDef="status">
          <th mat-header-cell *matHeaderCellDef>Outcome</th>
          <td mat-cell *matCellDef="let row"><cg-status-chip [status]="row.status" /></td>
        </ng-container>
        <ng-container matColumnDef="statusAndChannel">
          <th mat-header-cell *matHeaderCellDef>Outcome</th>
          <td mat-cell *matCellDef="let row">
            <cg-status-chip [status]="row.status" />
            @if (row.channel !== null || row.attempts > 1) {
              <div class="under-chip" data-testid="usage-upstream">{{ upstream(row) }}</div>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="channel">
          <th mat-header-cell *matHeaderCellDef title="The upstream channel that answered, or the last that failed">
            Channel
          </th>
          <td mat-cell *matCellDef="let row" class="channel" data-testid="usage-upstream">{{ upstream(row) }}</td>
        </ng-container>
        <ng-container matColumnDef="creditsCharged">
          <th mat-header-cell *matHeaderCellDef class="number">Credits</th>
          <td mat-cell *matCellDef="let row" class="number">{{ row.creditsCharged | number }}</td>
        </ng-container>
        <ng-container matColumnDef="tokens">
          <th mat-header-cell *matHeaderCellDef class="number">Tokens in · out</th>
          <td mat-cell *matCellDef="let row" class="number">
            {{ row.promptTokens | number }} · {{ row.completionTokens | number }}
          </td>
        </ng-container>
        <ng-container matColumnDef="cacheHitTokens">
          <th mat-header-cell *matHeaderCellDef class="number" title="Prompt tokens that hit the provider's cache">
            Cache hit
          </th>
          <td mat-cell *matCellDef="let row" class="number">{{ row.cacheHitTokens | number }}</td>
        </ng-container>
        <ng-container matColumnDef="reasoningTokens">
          <th mat-header-cell *matHeaderCellDef class="number" title="Reasoning tokens (part of the output)">
            Reasoning
          </th>
          <td mat-cell *matCellDef="let row" class="number">{{ row.reasoningTokens | number }}</td>
        </ng-container>
        <ng-container matColumnDef="peak">
          <th mat-header-cell *matHeaderCellDef>Rate</th>
          <td mat-cell *matCellDef="let row" class="rate">
            {{ row.peak === null ? '—' : row.peak ? 'Peak' : 'Off-peak' }}
          </td>
        </ng-container>
        <ng-container matColumnDef="latencyMs">
          <th mat-header-cell *matHeaderCellDef class="number">Latency</th>
          <td mat-cell *matCellDef="let row" class="number">{{ row.latencyMs | number }} ms</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns()"></tr>
        <tr mat-row *matRowDef="let row; columns: columns()"></tr>
      </table>
    </div>
  `,
})
export class UsageTable {
  /** Everyone's rows (with whose they are) or a user's own (no `email` column then). */
  readonly rows = input.required<readonly (AdminUsageItem | UsageItem)[]>();
  readonly columns = input.required<readonly UsageColumn[]>();
  protected readonly upstream = upstreamText;
}
