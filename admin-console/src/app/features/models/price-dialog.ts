import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import {
  type AdminModel,
  PRICE_MAX_CREDITS,
  REASON_MAX_CHARS,
  type UpdateModelPriceRequest,
} from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { toApiError } from '@app/core/api-error';

/** Rates take up to four decimals (the API stores ten-thousandths of a credit). */
const RATE_PATTERN = /^\d+(\.\d{1,4})?$/;

/** Edits one model's price and availability; the change is audited with the reason. */
@Component({
  selector: 'cg-price-dialog',
  imports: [
    DecimalPipe,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './price-dialog.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(420px, 80vw);
      gap: 4px;
    }
    .toggle {
      margin: 8px 0 16px;
    }
  `,
})
export class PriceDialog {
  protected readonly model = inject<AdminModel>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<PriceDialog, AdminModel>>(MatDialogRef);
  private readonly api = inject(AdminApi);

  private readonly rate = [
    Validators.required,
    Validators.min(0),
    Validators.max(PRICE_MAX_CREDITS),
    Validators.pattern(RATE_PATTERN),
  ];
  protected readonly form = inject(FormBuilder).nonNullable.group({
    enabled: [this.model.enabled],
    requestCredits: [
      this.model.requestCredits,
      [Validators.required, Validators.min(0), Validators.max(PRICE_MAX_CREDITS), Validators.pattern(/^\d+$/)],
    ],
    inputCreditsPer1k: [this.model.inputCreditsPer1k, this.rate],
    outputCreditsPer1k: [this.model.outputCreditsPer1k, this.rate],
    reason: ['', [Validators.maxLength(REASON_MAX_CHARS)]],
  });
  protected readonly priceMax = PRICE_MAX_CREDITS;
  protected readonly reasonMaxChars = REASON_MAX_CHARS;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected save(): void {
    if (this.form.invalid || this.saving()) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const request: UpdateModelPriceRequest = {
      enabled: value.enabled,
      requestCredits: value.requestCredits,
      inputCreditsPer1k: value.inputCreditsPer1k,
      outputCreditsPer1k: value.outputCreditsPer1k,
      ...(value.reason.trim() === '' ? {} : { reason: value.reason.trim() }),
    };
    this.saving.set(true);
    this.error.set(null);
    this.api.updatePrice(this.model.model, request).subscribe({
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
