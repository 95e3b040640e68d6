import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { PeriodSpend, SpendBudget } from '@creditgate/contract';
import { periodText } from '@app/shared/spend-controls/spend-text';

/**
 * What a key or a user spent (charged + held) in the current period, against its budget when it has
 * one, and when the period resets. For a key's budget and a user's spend limit alike.
 */
@Component({
  selector: 'cg-period-spend',
  imports: [DatePipe, DecimalPipe, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="line" data-testid="period-spend">
      <strong>{{ spend().credits | number }}</strong>
      @if (limit(); as limit) {
        of {{ limit.credits | number }}
      }
      credits {{ period() }}
    </div>
    @if (limit()) {
      <mat-progress-bar
        mode="determinate"
        [value]="percent()"
        [class.full]="percent() >= 100"
        [attr.aria-label]="'Spent ' + percent() + '% of the budget'"
      />
    }
    <div class="muted small">resets {{ spend().resetsAt | date: 'MMM d, HH:mm' : 'UTC' }} UTC</div>
  `,
  styles: `
    :host {
      display: block;
      min-width: 140px;
    }
    mat-progress-bar {
      margin: 4px 0;
    }
    .full {
      --mat-progress-bar-active-indicator-color: var(--mat-sys-error);
    }
    .small {
      font: var(--mat-sys-body-small);
    }
  `,
})
export class PeriodSpendView {
  readonly spend = input.required<PeriodSpend>();
  readonly limit = input<SpendBudget | null>(null);

  protected readonly period = computed(() => periodText(this.spend().period));
  protected readonly percent = computed(() => {
    const limit = this.limit();
    return limit === null ? 0 : Math.min(100, Math.round((this.spend().credits / limit.credits) * 100));
  });
}
