import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import {
  type ApiKeyLimitsChange,
  type ApiKeyView,
  REASON_MAX_CHARS,
  SPEND_LIMIT_MAX_CREDITS,
  SPEND_PERIODS,
  type SpendPeriod,
} from '@creditgate/contract';
import type { Observable } from 'rxjs';
import { toApiError } from '@app/core/api-error';
import { fromLocalInput, listOf, toLocalInput } from '@app/shared/spend-controls/spend-text';

/** What the dialog saves: the limits that changed, and a reason when asked for one. */
export type KeyLimitsChange = ApiKeyLimitsChange & { reason?: string };

export interface KeyLimitsDialogData {
  key: ApiKeyView;
  /** Ask for a reason (kept in the audit log): an admin's change. */
  askReason: boolean;
  /** Sends the change through whichever API the caller uses; the dialog closes with its answer. */
  save: (change: KeyLimitsChange) => Observable<ApiKeyView>;
}

const wholeCredits = [Validators.min(1), Validators.max(SPEND_LIMIT_MAX_CREDITS), Validators.pattern(/^\d+$/)];

/**
 * A key's limits as one form (docs/limits.md): budget per UTC period, lifetime credit limit, model
 * list, expiry and client addresses. An empty field means "none"; only the limits that changed are
 * sent, so an untouched expiry in the past does not come back as an error. The server checks model ids
 * and address ranges and its answer is shown here.
 */
@Component({
  selector: 'cg-key-limits-dialog',
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
  templateUrl: './key-limits-dialog.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(460px, 80vw);
    }
    .row {
      display: flex;
      gap: 12px;
      flex-wrap: wrap;
    }
    .row > * {
      flex: 1 1 160px;
    }
  `,
})
export class KeyLimitsDialog {
  protected readonly data = inject<KeyLimitsDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<KeyLimitsDialog, ApiKeyView>>(MatDialogRef);

  protected readonly periods = SPEND_PERIODS;
  protected readonly reasonMaxChars = REASON_MAX_CHARS;
  private readonly initial = {
    budgetCredits: this.data.key.budget?.credits ?? null,
    budgetPeriod: this.data.key.budget?.period ?? 'day',
    creditLimit: this.data.key.creditLimit,
    models: (this.data.key.models ?? []).join(', '),
    expiresAt: this.data.key.expiresAt === null ? '' : toLocalInput(this.data.key.expiresAt),
    allowedIps: (this.data.key.allowedIps ?? []).join('\n'),
  };
  protected readonly form = new FormGroup({
    budgetCredits: new FormControl<number | null>(this.initial.budgetCredits, wholeCredits),
    budgetPeriod: new FormControl<SpendPeriod>(this.initial.budgetPeriod, { nonNullable: true }),
    creditLimit: new FormControl<number | null>(this.initial.creditLimit, wholeCredits),
    models: new FormControl(this.initial.models, { nonNullable: true }),
    expiresAt: new FormControl(this.initial.expiresAt, { nonNullable: true }),
    allowedIps: new FormControl(this.initial.allowedIps, { nonNullable: true }),
    reason: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(REASON_MAX_CHARS)] }),
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  /** The limits whose field differs from what the key has: null for a field emptied. */
  protected change(): KeyLimitsChange {
    const value = this.form.getRawValue();
    const change: KeyLimitsChange = {};
    const budgetCredits = value.budgetCredits;
    if (
      budgetCredits !== this.initial.budgetCredits ||
      (budgetCredits !== null && value.budgetPeriod !== this.initial.budgetPeriod)
    ) {
      change.budget = budgetCredits === null ? null : { credits: budgetCredits, period: value.budgetPeriod };
    }
    const creditLimit = value.creditLimit;
    if (creditLimit !== this.initial.creditLimit) change.creditLimit = creditLimit;
    if (value.models !== this.initial.models) {
      const models = listOf(value.models);
      change.models = models.length === 0 ? null : models;
    }
    if (value.expiresAt !== this.initial.expiresAt) {
      change.expiresAt = value.expiresAt === '' ? null : fromLocalInput(value.expiresAt);
    }
    if (value.allowedIps !== this.initial.allowedIps) {
      const ranges = listOf(value.allowedIps);
      change.allowedIps = ranges.length === 0 ? null : ranges;
    }
    if (this.data.askReason && value.reason.trim() !== '') change.reason = value.reason.trim();
    return change;
  }

  protected submit(): void {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const change = this.change();
    const { reason: _reason, ...limits } = change;
    if (Object.keys(limits).length === 0) {
      this.dialogRef.close();
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    this.data.save(change).subscribe({
      next: (key) => {
        this.dialogRef.close(key);
      },
      error: (error: unknown) => {
        this.error.set(toApiError(error).summary);
        this.submitting.set(false);
      },
    });
  }
}
