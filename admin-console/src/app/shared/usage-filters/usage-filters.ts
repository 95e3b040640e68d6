import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { USAGE_STATUSES } from '@creditgate/contract';
import { usageStatusLabel } from '@app/shared/status-chip';
import type { UsageFilterState } from '@app/shared/usage-filters/usage-filter-state';

/**
 * The filter bar above a usage list: outcome, model and a date range. Projected content (the
 * admin's user picker) comes first; the page owns "clear" because its filters may be more than
 * these three.
 */
@Component({
  selector: 'cg-usage-filters',
  imports: [FormsModule, MatButtonModule, MatDatepickerModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './usage-filters.html',
  styleUrl: './usage-filters.scss',
})
export class UsageFilters {
  readonly state = input.required<UsageFilterState>();
  /** The model names to choose from. */
  readonly models = input.required<readonly string[]>();
  /** Whether any filter (the page's own included) is set: shows "Clear filters". */
  readonly hasFilters = input.required<boolean>();
  readonly cleared = output();

  protected readonly statuses = USAGE_STATUSES;
  protected readonly statusLabel = usageStatusLabel;
}
