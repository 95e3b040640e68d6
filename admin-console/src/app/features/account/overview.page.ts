import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { UserApi } from '@app/core/user-api';
import { barOptions, creditsChart, lineOptions, requestsChart } from '@app/features/dashboard/stats-charts';
import { ChartCard } from '@app/shared/chart-card';
import { LedgerTable } from '@app/shared/ledger-table';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';

const CHART_DAYS = 30;
const RECENT_LEDGER_ROWS = 5;
const DAY_MS = 86_400_000;

/**
 * The one stats range the overview asks for: the last 30 UTC days for the charts and, when the month
 * began earlier, back to the 1st of this UTC month for "charged this month". `monthStart` is the
 * first day (YYYY-MM-DD) that counts for the month.
 */
export function overviewRange(now: Date = new Date()): { from: string; to: string; monthStart: string } {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const from = Math.min(monthStart, tomorrow - CHART_DAYS * DAY_MS);
  return {
    from: new Date(from).toISOString(),
    to: new Date(tomorrow).toISOString(),
    monthStart: new Date(monthStart).toISOString().slice(0, 10),
  };
}

/** A user's own start page: credits, what this month cost, the last 30 days, the latest balance changes. */
@Component({
  selector: 'cg-overview-page',
  imports: [ChartCard, DecimalPipe, LedgerTable, LoadState, MatButtonModule, MatIconModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './overview.page.html',
  styleUrl: './account.scss',
})
export class OverviewPage {
  private readonly api = inject(UserApi);
  private readonly range = overviewRange();

  protected readonly credits = this.api.credits();
  protected readonly stats = this.api.usageStats(() => ({ from: this.range.from, to: this.range.to }));
  protected readonly ledger = this.api.ledger(() => ({ limit: RECENT_LEDGER_ROWS }));

  protected readonly balance = loaded(this.credits);
  private readonly currentStats = loaded(this.stats);
  private readonly ledgerPage = loaded(this.ledger);
  protected readonly recentLedger = computed(() => this.ledgerPage()?.items ?? []);
  /** Charged this UTC month: the days of the range from the 1st on. */
  protected readonly monthCharged = computed(() => {
    const stats = this.currentStats();
    return stats?.days
      .filter((day) => day.day >= this.range.monthStart)
      .reduce((sum, day) => sum + day.creditsCharged, 0);
  });
  protected readonly monthRequests = computed(() => {
    const stats = this.currentStats();
    return stats?.days.filter((day) => day.day >= this.range.monthStart).reduce((sum, day) => sum + day.requests, 0);
  });
  private readonly chartDays = computed(() => {
    const stats = this.currentStats();
    return stats ? { days: stats.days.slice(-CHART_DAYS) } : undefined;
  });
  protected readonly charts = computed(() => {
    const days = this.chartDays();
    return days && { credits: creditsChart(days), requests: requestsChart(days) };
  });
  protected readonly lineOptions = lineOptions;
  protected readonly barOptions = barOptions;
}
