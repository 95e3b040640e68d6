import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { UsageStatusName } from '@creditgate/contract';

const LABELS: Record<UsageStatusName, string> = {
  success: 'Success',
  provider_error: 'Provider error',
  timeout: 'Timeout',
  empty_response: 'Empty answer',
  client_closed: 'Client closed',
  insufficient_credits: 'Too few credits',
  concurrent_spend: 'Concurrent spend',
  budget_exceeded: 'Budget spent',
  model_not_allowed: 'Model not allowed',
};

export function usageStatusLabel(status: UsageStatusName): string {
  return LABELS[status];
}

/** A usage row's outcome as a coloured pill. */
@Component({
  selector: 'cg-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="chip" [class.ok]="status() === 'success'">{{ label() }}</span>`,
  styles: `
    .chip {
      display: inline-block;
      padding: 2px 10px;
      border-radius: 999px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .chip.ok {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
  `,
})
export class StatusChip {
  readonly status = input.required<UsageStatusName>();
  protected readonly label = computed(() => usageStatusLabel(this.status()));
}
