import type { ChartConfiguration } from 'chart.js';
import { FAILURE_KINDS, type FailureKind, type StatsResponse } from '@creditgate/contract';
import { usageStatusLabel } from '@app/shared/status-chip';

/** What the charts draw: the per-day series of the admin's stats or of a user's own. */
type DailyStats = Pick<StatsResponse, 'days'>;

const SUCCESS_COLOUR = '#2e7d32';
const FAILURE_COLOURS: Record<FailureKind, string> = {
  provider_error: '#c62828',
  timeout: '#ef6c00',
  empty_response: '#f9a825',
  client_closed: '#6d4c41',
  insufficient_credits: '#7b1fa2',
  concurrent_spend: '#455a64',
  budget_exceeded: '#ad1457',
  model_not_allowed: '#5d4037',
};
const CREDITS_COLOUR = '#1565c0';
const PROMPT_COLOUR = '#42a5f5';
const COMPLETION_COLOUR = '#0d47a1';

/** "Nov 24" for a UTC day "2026-11-24" (days are UTC on the server, so they are shown as such). */
export function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

const stackedOptions: ChartConfiguration<'bar'>['options'] = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: 'index', intersect: false },
  scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
  plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
};

/** Requests per day: successes and each kind of failure, stacked. */
export function requestsChart(stats: DailyStats): ChartConfiguration<'bar'>['data'] {
  return {
    labels: stats.days.map((day) => dayLabel(day.day)),
    datasets: [
      {
        label: 'Success',
        data: stats.days.map((day) => day.successes),
        backgroundColor: SUCCESS_COLOUR,
        stack: 'requests',
      },
      ...FAILURE_KINDS.map((kind) => ({
        label: usageStatusLabel(kind),
        data: stats.days.map((day) => day.failures[kind]),
        backgroundColor: FAILURE_COLOURS[kind],
        stack: 'requests',
      })),
    ],
  };
}

export function creditsChart(stats: DailyStats): ChartConfiguration<'line'>['data'] {
  return {
    labels: stats.days.map((day) => dayLabel(day.day)),
    datasets: [
      {
        label: 'Credits charged',
        data: stats.days.map((day) => day.creditsCharged),
        borderColor: CREDITS_COLOUR,
        backgroundColor: `${CREDITS_COLOUR}33`,
        fill: true,
        tension: 0.25,
        pointRadius: 2,
      },
    ],
  };
}

export function tokensChart(stats: DailyStats): ChartConfiguration<'bar'>['data'] {
  return {
    labels: stats.days.map((day) => dayLabel(day.day)),
    datasets: [
      {
        label: 'Prompt',
        data: stats.days.map((day) => day.promptTokens),
        backgroundColor: PROMPT_COLOUR,
        stack: 'tokens',
      },
      {
        label: 'Completion',
        data: stats.days.map((day) => day.completionTokens),
        backgroundColor: COMPLETION_COLOUR,
        stack: 'tokens',
      },
    ],
  };
}

export const barOptions = stackedOptions;

export const lineOptions: ChartConfiguration<'line'>['options'] = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: 'index', intersect: false },
  scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
  plugins: { legend: { display: false } },
};
