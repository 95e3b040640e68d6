import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  type AbstractControl,
  FormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type PeakHours, REASON_MAX_CHARS, type UpdatePeakHoursRequest } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { toApiError } from '@app/core/api-error';
import {
  DATE_PATTERN,
  FROM_PATTERN,
  isTimeZone,
  sortedDates,
  TO_PATTERN,
  WEEKDAYS,
} from '@app/features/models/peak-hours';

const timeZone = (control: AbstractControl<string>): ValidationErrors | null =>
  control.value === '' || isTimeZone(control.value) ? null : { timeZone: true };

/** A range must end after it starts ("24:00" sorts after every other time, as it should). */
const endsAfterStart = (group: AbstractControl<{ from: string; to: string }>): ValidationErrors | null => {
  const { from, to } = group.value;
  return FROM_PATTERN.test(from) && TO_PATTERN.test(to) && from >= to ? { order: true } : null;
};

/**
 * Edits the peak calendar (docs/pricing.md): the zone, the weekdays and hours at peak rates, and the
 * holidays that are off-peak all day. The server checks it again and its refusal is shown here.
 */
@Component({
  selector: 'cg-peak-hours-dialog',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatChipsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './peak-hours-dialog.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(480px, 80vw);
      gap: 4px;
    }
    fieldset {
      border: none;
      padding: 0;
      margin: 0 0 12px;
    }
    legend {
      font: var(--mat-sys-title-small);
      margin-bottom: 4px;
    }
    .weekdays {
      display: flex;
      flex-wrap: wrap;
    }
    .range {
      display: flex;
      align-items: baseline;
      gap: 8px;

      mat-form-field {
        width: 110px;
      }
    }
    .add-holiday {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 8px;
    }
    .holidays {
      max-height: 180px;
      overflow-y: auto;
    }
  `,
})
export class PeakHoursDialog {
  private readonly current = inject<PeakHours>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<PeakHoursDialog, PeakHours>>(MatDialogRef);
  private readonly api = inject(AdminApi);
  private readonly builder = inject(FormBuilder).nonNullable;

  protected readonly weekdayNames = WEEKDAYS;
  protected readonly reasonMaxChars = REASON_MAX_CHARS;
  protected readonly form = this.builder.group({
    timeZone: [this.current.timeZone, [Validators.required, timeZone]],
    weekdays: this.builder.array(WEEKDAYS.map(([day]) => this.current.weekdays.includes(day))),
    ranges: this.builder.array(this.current.ranges.map((range) => this.range(range.from, range.to))),
    reason: ['', [Validators.maxLength(REASON_MAX_CHARS)]],
  });
  protected readonly holidays = signal(sortedDates(this.current.holidays));
  /** The date being added (the native date input's `YYYY-MM-DD`). */
  protected readonly newHoliday = this.builder.control('', [Validators.pattern(DATE_PATTERN)]);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected get ranges() {
    return this.form.controls.ranges;
  }

  private range(from: string, to: string) {
    return this.builder.group(
      {
        from: [from, [Validators.required, Validators.pattern(FROM_PATTERN)]],
        to: [to, [Validators.required, Validators.pattern(TO_PATTERN)]],
      },
      { validators: endsAfterStart },
    );
  }

  protected addRange(): void {
    this.ranges.push(this.range('', ''));
  }

  protected removeRange(index: number): void {
    this.ranges.removeAt(index);
  }

  protected addHoliday(): void {
    const day = this.newHoliday.value;
    if (this.newHoliday.invalid || day === '') {
      this.newHoliday.markAsTouched();
      return;
    }
    this.holidays.update((days) => sortedDates([...days, day]));
    this.newHoliday.reset();
  }

  protected removeHoliday(day: string): void {
    this.holidays.update((days) => days.filter((candidate) => candidate !== day));
  }

  protected save(): void {
    if (this.form.invalid || this.saving()) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const reason = value.reason.trim();
    const change: UpdatePeakHoursRequest = {
      timeZone: value.timeZone,
      weekdays: WEEKDAYS.filter((_, index) => value.weekdays[index]).map(([day]) => day),
      ranges: value.ranges.map((range) => ({ from: range.from, to: range.to })),
      holidays: this.holidays(),
      ...(reason === '' ? {} : { reason }),
    };
    this.saving.set(true);
    this.error.set(null);
    this.api.setPeakHours(change).subscribe({
      next: (saved) => {
        this.dialogRef.close(saved);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(toApiError(error).summary);
      },
    });
  }
}
