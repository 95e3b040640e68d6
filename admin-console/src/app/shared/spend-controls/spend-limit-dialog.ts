import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import {
  REASON_MAX_CHARS,
  SPEND_LIMIT_MAX_CREDITS,
  SPEND_PERIODS,
  type SpendBudget,
  type SpendPeriod,
} from '@creditgate/contract';
import type { Observable } from 'rxjs';
import { toApiError } from '@app/core/api-error';

export interface SpendLimitDialogData {
  email: string;
  current: SpendBudget | null;
  /** Sets (a limit) or removes (null) the spend limit; the dialog closes with `true` once saved. */
  save: (limit: SpendBudget | null, reason: string | undefined) => Observable<unknown>;
}

/**
 * A user's spend limit (docs/limits.md): credits per UTC day, week or month over all the user's keys
 * and logins, or none. Only an admin sets it; the reason goes to the audit log.
 */
@Component({
  selector: 'cg-spend-limit-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>Spend limit</h2>
    @if (submitting()) {
      <mat-progress-bar mode="indeterminate" />
    }
    <mat-dialog-content>
      @if (error(); as message) {
        <p class="dialog-error" role="alert" data-testid="spend-limit-error">{{ message }}</p>
      }
      <p class="muted">
        The most {{ data.email }} may spend per period, charged plus held, over all their API keys and sign-ins.
        Requests past it are refused with BUDGET_EXCEEDED.
      </p>
      <form [formGroup]="form" class="form" (ngSubmit)="submit()" id="spend-limit-form">
        <div class="row">
          <mat-form-field>
            <mat-label>Credits</mat-label>
            <input
              matInput
              type="number"
              min="1"
              step="1"
              formControlName="credits"
              data-testid="spend-limit-credits"
            />
            @if (form.controls.credits.invalid) {
              <mat-error>A whole number from 1.</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>Per</mat-label>
            <mat-select formControlName="period" data-testid="spend-limit-period">
              @for (period of periods; track period) {
                <mat-option [value]="period">UTC {{ period }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        </div>
        <mat-form-field>
          <mat-label>Reason (kept in the audit log)</mat-label>
          <textarea matInput rows="2" formControlName="reason" [attr.maxlength]="reasonMaxChars"></textarea>
        </mat-form-field>
      </form>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="undefined" [disabled]="submitting()">Cancel</button>
      @if (data.current) {
        <button mat-button type="button" [disabled]="submitting()" (click)="remove()" data-testid="spend-limit-remove">
          Remove limit
        </button>
      }
      <button
        mat-flat-button
        type="submit"
        form="spend-limit-form"
        [disabled]="submitting()"
        data-testid="spend-limit-save"
      >
        Save
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(420px, 80vw);
    }
    .row {
      display: flex;
      gap: 12px;
      flex-wrap: wrap;
    }
    .row > * {
      flex: 1 1 140px;
    }
  `,
})
export class SpendLimitDialog {
  protected readonly data = inject<SpendLimitDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SpendLimitDialog, boolean>>(MatDialogRef);

  protected readonly periods = SPEND_PERIODS;
  protected readonly reasonMaxChars = REASON_MAX_CHARS;
  protected readonly form = new FormGroup({
    credits: new FormControl<number | null>(this.data.current?.credits ?? null, [
      Validators.required,
      Validators.min(1),
      Validators.max(SPEND_LIMIT_MAX_CREDITS),
      Validators.pattern(/^\d+$/),
    ]),
    period: new FormControl<SpendPeriod>(this.data.current?.period ?? 'month', { nonNullable: true }),
    reason: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(REASON_MAX_CHARS)] }),
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { credits, period } = this.form.getRawValue();
    this.send({ credits: Number(credits), period });
  }

  protected remove(): void {
    this.send(null);
  }

  private send(limit: SpendBudget | null): void {
    if (this.submitting()) return;
    const reason = this.form.controls.reason.value.trim();
    this.submitting.set(true);
    this.error.set(null);
    this.data.save(limit, reason === '' ? undefined : reason).subscribe({
      next: () => {
        this.dialogRef.close(true);
      },
      error: (error: unknown) => {
        this.error.set(toApiError(error).summary);
        this.submitting.set(false);
      },
    });
  }
}
