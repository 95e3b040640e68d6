import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import {
  type CreatedRedemptionCodes,
  type CreateRedemptionCodesRequest,
  REDEMPTION_BATCH_MAX_CODES,
  REDEMPTION_NOTE_MAX_CHARS,
  TOP_UP_MAX_CREDITS,
} from '@creditgate/contract';
import { toApiError } from '@app/core/api-error';
import { TopUpAdminApi } from '@app/core/top-up-admin-api';
import { saveFile } from '@app/shared/save-file';
import { SecretOnce } from '@app/shared/secret-once/secret-once';
import { ShownOnce } from '@app/shared/secret-once/shown-once';
import { fromLocalInput } from '@app/shared/spend-controls/spend-text';

export interface RedemptionBatchForm {
  credits: number | null;
  count: number | null;
  expiresAt: string;
  note: string;
}

/** The request for a valid form; an empty expiry is left out (the codes never expire). */
export function createBatchRequest(form: RedemptionBatchForm): CreateRedemptionCodesRequest {
  return {
    credits: form.credits ?? 0,
    count: form.count ?? 0,
    note: form.note.trim(),
    ...(form.expiresAt === '' ? {} : { expiresAt: fromLocalInput(form.expiresAt) }),
  };
}

const whole = (max: number) => [
  Validators.required,
  Validators.min(1),
  Validators.max(max),
  Validators.pattern(/^\d+$/),
];

/**
 * A batch of redemption codes, then its codes — the one time anyone sees them: the API stores hashes.
 * The codes live in this dialog only (copy them, or download them as a text file, one per line); once
 * they show, only the button closes the dialog.
 */
@Component({
  selector: 'cg-redemption-codes-dialog',
  imports: [
    DecimalPipe,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
    SecretOnce,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './redemption-codes-dialog.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(440px, 78vw);
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
export class RedemptionCodesDialog {
  private readonly api = inject(TopUpAdminApi);

  protected readonly limits = {
    credits: TOP_UP_MAX_CREDITS,
    count: REDEMPTION_BATCH_MAX_CODES,
    note: REDEMPTION_NOTE_MAX_CHARS,
  };
  protected readonly form = new FormGroup({
    credits: new FormControl<number | null>(null, whole(TOP_UP_MAX_CREDITS)),
    count: new FormControl<number | null>(1, whole(REDEMPTION_BATCH_MAX_CODES)),
    expiresAt: new FormControl('', { nonNullable: true }),
    note: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(REDEMPTION_NOTE_MAX_CHARS), Validators.pattern(/\S/)],
    }),
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The batch and its codes once made, shown until the admin closes the dialog. */
  protected readonly shown = new ShownOnce<CreatedRedemptionCodes & { credits: number }>();

  protected save(): void {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const request = createBatchRequest(this.form.getRawValue());
    this.saving.set(true);
    this.error.set(null);
    this.api.createBatch(request).subscribe({
      next: (created) => {
        this.saving.set(false);
        this.shown.show({ ...created, credits: request.credits });
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(toApiError(error).summary);
      },
    });
  }

  protected download(batch: CreatedRedemptionCodes): void {
    saveFile(
      new Blob([`${batch.codes.join('\n')}\n`], { type: 'text/plain' }),
      `redemption-codes-${batch.batchId}.txt`,
    );
  }

  /** The page gets the batch's id (to show it), never its codes. */
  protected done(): void {
    this.shown.close((batch) => batch.batchId);
  }
}
