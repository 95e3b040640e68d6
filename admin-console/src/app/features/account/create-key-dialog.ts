import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import {
  type ApiKeyView,
  type CreateApiKeyRequest,
  type CreatedApiKey,
  SPEND_LIMIT_MAX_CREDITS,
  SPEND_PERIODS,
  type SpendPeriod,
} from '@creditgate/contract';
import { toApiError } from '@app/core/api-error';
import { UserApi } from '@app/core/user-api';
import { loaded } from '@app/shared/loaded';
import { SecretOnce } from '@app/shared/secret-once/secret-once';
import { ShownOnce } from '@app/shared/secret-once/shown-once';
import { fromLocalInput, listOf } from '@app/shared/spend-controls/spend-text';

/** The longest key name the API stores. */
export const KEY_NAME_MAX_CHARS = 100;

const wholeCredits = [Validators.min(1), Validators.max(SPEND_LIMIT_MAX_CREDITS), Validators.pattern(/^\d+$/)];

export interface CreateKeyForm {
  name: string;
  budgetCredits: number | null;
  budgetPeriod: SpendPeriod;
  models: string[];
  expiresAt: string;
  allowedIps: string;
}

/** The request for a form: an empty limit is left out (none); addresses are split on commas, spaces and lines. */
export function createKeyRequest(form: CreateKeyForm): CreateApiKeyRequest {
  const models = form.models;
  const allowedIps = listOf(form.allowedIps);
  return {
    name: form.name.trim(),
    ...(form.budgetCredits === null ? {} : { budget: { credits: form.budgetCredits, period: form.budgetPeriod } }),
    ...(models.length === 0 ? {} : { models }),
    ...(form.expiresAt === '' ? {} : { expiresAt: fromLocalInput(form.expiresAt) }),
    ...(allowedIps.length === 0 ? {} : { allowedIps }),
  };
}

/** The key as the list shows it: every field but the secret. */
function withoutSecret(created: CreatedApiKey): ApiKeyView {
  const { key: _secret, ...view } = created;
  return view;
}

/**
 * A new API key with its limits (docs/limits.md), then its secret — the one time anyone sees it: the
 * API stores a hash. The secret lives in this dialog only; once it shows, only the button closes the
 * dialog, and the page gets the key without its secret.
 */
@Component({
  selector: 'cg-create-key-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    ReactiveFormsModule,
    SecretOnce,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './create-key-dialog.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(460px, 78vw);
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
export class CreateKeyDialog {
  private readonly api = inject(UserApi);

  protected readonly periods = SPEND_PERIODS;
  protected readonly nameMaxChars = KEY_NAME_MAX_CHARS;
  private readonly models = loaded(this.api.models());
  protected readonly modelIds = computed(() => this.models()?.items.map((model) => model.model) ?? []);
  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(KEY_NAME_MAX_CHARS), Validators.pattern(/\S/)],
    }),
    budgetCredits: new FormControl<number | null>(null, wholeCredits),
    budgetPeriod: new FormControl<SpendPeriod>('month', { nonNullable: true }),
    models: new FormControl<string[]>([], { nonNullable: true }),
    expiresAt: new FormControl('', { nonNullable: true }),
    allowedIps: new FormControl('', { nonNullable: true }),
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The key with its secret once created, shown until the user closes the dialog. */
  protected readonly shown = new ShownOnce<CreatedApiKey>();

  protected save(): void {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    this.api.createKey(createKeyRequest(this.form.getRawValue())).subscribe({
      next: (created) => {
        this.saving.set(false);
        this.shown.show(created);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(toApiError(error).summary);
      },
    });
  }

  /** The page gets the key without its secret. */
  protected done(): void {
    this.shown.close(withoutSecret);
  }
}
