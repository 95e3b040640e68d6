import { computed, signal } from '@angular/core';
import type { UsageQuery, UsageStatusName } from '@creditgate/contract';

const DAY_MS = 86_400_000;

/** A picked calendar day as the instant it starts (local time), in the API's ISO form. */
export function startOfDay(day: Date): string {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate()).toISOString();
}

/** The exclusive end of a picked last day: the start of the next one. */
export function endOfDay(day: Date): string {
  return new Date(new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime() + DAY_MS).toISOString();
}

/**
 * The filters every usage list offers (outcome, model, days) as the signals `cg-usage-filters`
 * binds, and the API query they make. A page that filters by more (the admin's user) adds its own
 * signal next to this and spreads `query()` into its filters.
 */
export class UsageFilterState {
  readonly status = signal<UsageStatusName | undefined>(undefined);
  readonly model = signal<string | undefined>(undefined);
  readonly fromDay = signal<Date | null>(null);
  readonly toDay = signal<Date | null>(null);

  readonly query = computed<UsageQuery>(() => {
    const from = this.fromDay();
    const to = this.toDay();
    return {
      status: this.status(),
      model: this.model(),
      from: from ? startOfDay(from) : undefined,
      to: to ? endOfDay(to) : undefined,
    };
  });

  clear(): void {
    this.status.set(undefined);
    this.model.set(undefined);
    this.fromDay.set(null);
    this.toDay.set(null);
  }
}
