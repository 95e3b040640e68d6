import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ChartConfiguration, ChartType } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';

/** One chart card of a page's chart grid (`.charts` and `.chart-card`, in styles.scss): a title and a chart. */
@Component({
  selector: 'cg-chart-card',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 class="section-title">{{ heading() }}</h2>
    <div class="chart">
      <canvas baseChart [type]="type()" [data]="data()" [options]="options()" [attr.aria-label]="label()"></canvas>
    </div>
  `,
  host: { class: 'chart-card', role: 'article' },
})
export class ChartCard<Type extends ChartType> {
  readonly heading = input.required<string>();
  readonly type = input.required<Type>();
  readonly data = input.required<ChartConfiguration<Type>['data']>();
  readonly options = input<ChartConfiguration<Type>['options']>();
  /** What the chart shows, for a screen reader. */
  readonly label = input.required<string>();
}
