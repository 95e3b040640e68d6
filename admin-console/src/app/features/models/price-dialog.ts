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
import { describeRequestFields } from '@app/features/models/price-change';

/** Rates take up to four decimals (the API stores ten-thousandths of a credit). */
const RATE_PATTERN = /^\d+(\.\d{1,4})?$/;
const WHOLE_NUMBER = /^\d+$/;

/** An optional number field: left empty, the API applies its default. */
const isEmpty = (value: number | null): value is null => value === null || Number.isNaN(value);

/**
 * Edits one model's prices, availability and default output length; the change is audited with
 * the reason. Left empty, the cache-hit rate is the cache-miss rate and the off-peak percentage is
 * 100 (docs/pricing.md), so the form starts empty where the model has those defaults.
 */
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
    .pair {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
      gap: 0 12px;
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
  private readonly builder = inject(FormBuilder).nonNullable;
  protected readonly form = this.builder.group({
    enabled: [this.model.enabled],
    requestCredits: [
      this.model.requestCredits,
      [Validators.required, Validators.min(0), Validators.max(PRICE_MAX_CREDITS), Validators.pattern(WHOLE_NUMBER)],
    ],
    inputCreditsPer1k: [this.model.inputCreditsPer1k, this.rate],
    cachedInputCreditsPer1k: this.builder.control<number | null>(
      this.model.cachedInputCreditsPer1k === this.model.inputCreditsPer1k ? null : this.model.cachedInputCreditsPer1k,
      [Validators.min(0), Validators.max(PRICE_MAX_CREDITS), Validators.pattern(RATE_PATTERN)],
    ),
    outputCreditsPer1k: [this.model.outputCreditsPer1k, this.rate],
    offPeakPercent: this.builder.control<number | null>(this.model.offPeakPercent, [
      Validators.min(1),
      Validators.max(100),
      Validators.pattern(WHOLE_NUMBER),
    ]),
    defaultOutputTokens: [
      this.model.defaultOutputTokens,
      [
        Validators.required,
        Validators.min(1),
        Validators.max(this.model.maxOutputTokens),
        Validators.pattern(WHOLE_NUMBER),
      ],
    ],
    reason: ['', [Validators.maxLength(REASON_MAX_CHARS)]],
  });
  protected readonly priceMax = PRICE_MAX_CREDITS;
  protected readonly reasonMaxChars = REASON_MAX_CHARS;
  /** What the model calls upstream, read-only here (the catalog is set by migrations). */
  protected readonly upstreamLine = [
    `Calls ${this.model.upstreamModel}`,
    ...(Object.keys(this.model.requestFields).length === 0
      ? []
      : [`with ${describeRequestFields(this.model.requestFields)}`]),
    `· reads images: ${this.model.readsImages ? 'yes' : 'no'}`,
  ].join(' ');
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected save(): void {
    if (this.form.invalid || this.saving()) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const reason = value.reason.trim();
    const request: UpdateModelPriceRequest = {
      enabled: value.enabled,
      requestCredits: value.requestCredits,
      inputCreditsPer1k: value.inputCreditsPer1k,
      ...(isEmpty(value.cachedInputCreditsPer1k) ? {} : { cachedInputCreditsPer1k: value.cachedInputCreditsPer1k }),
      outputCreditsPer1k: value.outputCreditsPer1k,
      ...(isEmpty(value.offPeakPercent) ? {} : { offPeakPercent: value.offPeakPercent }),
      defaultOutputTokens: value.defaultOutputTokens,
      ...(reason === '' ? {} : { reason }),
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
