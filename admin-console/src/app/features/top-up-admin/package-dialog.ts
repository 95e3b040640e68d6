import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import {
  type AdminCreditPackageView,
  CURRENCY_PATTERN,
  PACKAGE_MAX_PRICE_MINOR_UNITS,
  TOP_UP_MAX_CREDITS,
  type UpdateCreditPackageRequest,
} from '@creditgate/contract';
import type { Observable } from 'rxjs';
import { toApiError } from '@app/core/api-error';
import { TopUpAdminApi } from '@app/core/top-up-admin-api';

/** The longest package name the console offers to type. */
const PACKAGE_NAME_MAX_CHARS = 100;

/** Decimals of a currency's main unit (USD 2, JPY 0), as `Intl` knows them. */
export function currencyDecimals(currency: string): number | null {
  if (!CURRENCY_PATTERN.test(currency)) return null;
  try {
    return (
      new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return null;
  }
}

/**
 * A price typed in the currency's main unit ("9.99" dollars) as the smallest unit Stripe counts (999
 * cents), exactly: by digits, never through a float. Null when it is not a plain amount with at most
 * the currency's decimals.
 */
export function toMinorUnits(price: string, currency: string): number | null {
  const decimals = currencyDecimals(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(price.trim());
  if (decimals === null || match === null) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) return null;
  return Number(`${match[1] ?? '0'}${fraction.padEnd(decimals, '0')}`);
}

/** The other way, for the form: 999 cents → "9.99". */
export function fromMinorUnits(minorUnits: number, currency: string): string {
  const decimals = currencyDecimals(currency) ?? 2;
  return decimals === 0 ? String(minorUnits) : (minorUnits / 10 ** decimals).toFixed(decimals);
}

export interface PackageDialogData {
  /** The package to edit; absent, a new one. */
  edit?: AdminCreditPackageView;
}

/** A credit package's name, credits and price: a new one, or the changed fields of one (PATCH). */
@Component({
  selector: 'cg-package-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ data.edit ? 'Edit ' + data.edit.name : 'Add a credit package' }}</h2>
    @if (saving()) {
      <mat-progress-bar mode="indeterminate" />
    }
    <mat-dialog-content>
      @if (error(); as message) {
        <p class="dialog-error" role="alert" data-testid="package-error">{{ message }}</p>
      }
      <form [formGroup]="form" class="form" id="package-form" (ngSubmit)="save()" autocomplete="off">
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" required [attr.maxlength]="nameMaxChars" data-testid="package-name" />
          <mat-error>A name, up to {{ nameMaxChars }} characters.</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Credits</mat-label>
          <input matInput type="number" min="1" step="1" formControlName="credits" data-testid="package-credits" />
          <mat-error>A whole number from 1 to {{ maxCredits }}.</mat-error>
        </mat-form-field>
        <div class="row">
          <mat-form-field>
            <mat-label>Price</mat-label>
            <input matInput inputmode="decimal" formControlName="price" data-testid="package-price" />
            <mat-hint>In the currency's main unit, e.g. 9.99</mat-hint>
            <mat-error>An amount with at most the currency's decimals.</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Currency</mat-label>
            <input matInput formControlName="currency" maxlength="3" data-testid="package-currency" />
            <mat-hint>ISO code: usd, eur, jpy…</mat-hint>
            <mat-error>A three-letter currency code.</mat-error>
          </mat-form-field>
        </div>
      </form>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="undefined" [disabled]="saving()">Cancel</button>
      <button mat-flat-button type="submit" form="package-form" [disabled]="saving()" data-testid="package-save">
        Save
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(420px, 78vw);
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
export class PackageDialog {
  protected readonly data = inject<PackageDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<PackageDialog, AdminCreditPackageView>>(MatDialogRef);
  private readonly api = inject(TopUpAdminApi);

  protected readonly nameMaxChars = PACKAGE_NAME_MAX_CHARS;
  protected readonly maxCredits = TOP_UP_MAX_CREDITS;
  private readonly initial = this.data.edit;
  protected readonly form = new FormGroup({
    name: new FormControl(this.initial?.name ?? '', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(PACKAGE_NAME_MAX_CHARS), Validators.pattern(/\S/)],
    }),
    credits: new FormControl<number | null>(this.initial?.credits ?? null, [
      Validators.required,
      Validators.min(1),
      Validators.max(TOP_UP_MAX_CREDITS),
      Validators.pattern(/^\d+$/),
    ]),
    price: new FormControl(this.initial ? fromMinorUnits(this.initial.priceCents, this.initial.currency) : '', {
      nonNullable: true,
      validators: [Validators.required],
    }),
    currency: new FormControl(this.initial?.currency ?? 'usd', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(CURRENCY_PATTERN)],
    }),
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected save(): void {
    if (this.saving()) return;
    const value = this.form.getRawValue();
    const priceCents = toMinorUnits(value.price, value.currency);
    if (priceCents === null || priceCents < 1 || priceCents > PACKAGE_MAX_PRICE_MINOR_UNITS) {
      this.form.controls.price.setErrors({ price: true });
    }
    if (this.form.invalid || priceCents === null) {
      this.form.markAllAsTouched();
      return;
    }
    const fields = {
      name: value.name.trim(),
      credits: value.credits ?? 0,
      priceCents,
      currency: value.currency.toLowerCase(),
    };
    let request: Observable<AdminCreditPackageView>;
    if (this.initial === undefined) {
      request = this.api.createPackage(fields);
    } else {
      const before = this.initial;
      const change: UpdateCreditPackageRequest = Object.fromEntries(
        Object.entries(fields).filter(([name, field]) => before[name as keyof typeof fields] !== field),
      );
      if (Object.keys(change).length === 0) {
        this.dialogRef.close();
        return;
      }
      request = this.api.updatePackage(before.id, change);
    }
    this.saving.set(true);
    this.error.set(null);
    request.subscribe({
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
