import { DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { AdminApi } from '@app/core/admin-api';
import {
  barOptions,
  creditsChart,
  lineOptions,
  requestsChart,
  tokensChart,
} from '@app/features/dashboard/stats-charts';
import { ChartCard } from '@app/shared/chart-card';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';

export const RANGES = [7, 30, 90] as const;
type RangeDays = (typeof RANGES)[number];
const DAY_MS = 86_400_000;

/** The last `days` UTC days including today, as the stats API's `from` (inclusive) and `to` (exclusive). */
export function utcRange(days: number, now: Date = new Date()): { from: string; to: string } {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return { from: new Date(tomorrow - days * DAY_MS).toISOString(), to: new Date(tomorrow).toISOString() };
}

/** Totals, daily charts and the top users over a chosen range. */
@Component({
  selector: 'cg-dashboard-page',
  imports: [ChartCard, DecimalPipe, LoadState, MatButtonToggleModule, MatTableModule, PercentPipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './dashboard.page.html',
  styleUrl: './dashboard.page.scss',
})
export class DashboardPage {
  private readonly api = inject(AdminApi);

  protected readonly ranges = RANGES;
  protected readonly days = signal<RangeDays>(30);
  protected readonly stats = this.api.stats(() => utcRange(this.days()));

  private readonly current = loaded(this.stats);
  protected readonly totals = computed(() => this.current()?.totals);
  protected readonly topUsers = computed(() => this.current()?.topUsers ?? []);
  protected readonly failures = computed(() => {
    const totals = this.totals();
    return totals ? Object.values(totals.failures).reduce((sum, count) => sum + count, 0) : 0;
  });
  protected readonly successRate = computed(() => {
    const totals = this.totals();
    return totals && totals.requests > 0 ? totals.successes / totals.requests : null;
  });
  /** The share of prompt tokens the provider's cache served (priced at the cache-hit rate). */
  protected readonly cacheHitRate = computed(() => {
    const totals = this.totals();
    return totals && totals.promptTokens > 0 ? totals.cacheHitTokens / totals.promptTokens : null;
  });
  protected readonly charts = computed(() => {
    const stats = this.current();
    return stats && { requests: requestsChart(stats), credits: creditsChart(stats), tokens: tokensChart(stats) };
  });
  protected readonly barOptions = barOptions;
  protected readonly lineOptions = lineOptions;
  protected readonly topUserColumns = ['email', 'requests', 'creditsCharged'];
}
