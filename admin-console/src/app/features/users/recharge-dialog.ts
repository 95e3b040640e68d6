import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import {
  type AdminUserItem,
  REASON_MAX_CHARS,
  RECHARGE_MAX_CREDITS,
  type RechargeRequest,
  type RechargeResponse,
} from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { toApiError } from '@app/core/api-error';
import { newIdempotencyKey } from '@app/shared/idempotency-key';

export interface RechargeDialogData {
  user: Pick<AdminUserItem, 'id' | 'email' | 'credits'>;
}

/**
 * Amount and reason, then a confirmation, then one recharge. Safe against double submits twice
 * over: the button is disabled while the request runs, and every request of the same recharge
 * carries the same Idempotency-Key, so the server adds once even if two requests do leave.
 */
@Component({
  selector: 'cg-recharge-dialog',
  imports: [
    DecimalPipe,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './recharge-dialog.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(420px, 80vw);
    }
    .summary {
      font: var(--mat-sys-body-large);
    }
  `,
})
export class RechargeDialog {
  protected readonly data = inject<RechargeDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<RechargeDialog, RechargeResponse>>(MatDialogRef);
  private readonly api = inject(AdminApi);

  protected readonly maxAmount = RECHARGE_MAX_CREDITS;
  protected readonly reasonMaxChars = REASON_MAX_CHARS;
  protected readonly form = new FormGroup({
    amount: new FormControl<number | null>(null, [
      Validators.required,
      Validators.min(1),
      Validators.max(RECHARGE_MAX_CREDITS),
      Validators.pattern(/^\d+$/),
    ]),
    reason: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(REASON_MAX_CHARS), Validators.pattern(/\S/)],
    }),
  });
  protected readonly step = signal<'edit' | 'confirm'>('edit');
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  /** One key per recharge the admin means: kept while the values stay, renewed when they change. */
  private idempotencyKey = newIdempotencyKey();
  private keyedRequest: string | null = null;

  protected request(): RechargeRequest {
    const { amount, reason } = this.form.getRawValue();
    return { userId: this.data.user.id, amount: Number(amount), reason: reason.trim() };
  }

  protected review(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.error.set(null);
    this.step.set('confirm');
  }

  protected edit(): void {
    this.step.set('edit');
  }

  protected submit(): void {
    if (this.submitting()) return;
    const request = this.request();
    const fingerprint = JSON.stringify(request);
    if (this.keyedRequest !== fingerprint) {
      if (this.keyedRequest !== null) this.idempotencyKey = newIdempotencyKey();
      this.keyedRequest = fingerprint;
    }
    this.submitting.set(true);
    this.error.set(null);
    this.dialogRef.disableClose = true;
    this.api.recharge(request, this.idempotencyKey).subscribe({
      next: (result) => {
        this.dialogRef.close(result);
      },
      error: (error: unknown) => {
        // The same key is sent again on retry: if this request did reach the ledger, it adds nothing.
        this.error.set(toApiError(error).summary);
        this.submitting.set(false);
        this.dialogRef.disableClose = false;
      },
    });
  }
}
