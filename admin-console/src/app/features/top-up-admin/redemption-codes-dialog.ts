import { Clipboard } from '@angular/cdk/clipboard';
import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
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
    .warning {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      padding: 12px;
      border-radius: 12px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .warning mat-icon {
      flex: none;
    }
    .codes {
      display: block;
      max-height: 40vh;
      overflow: auto;
      margin: 12px 0 8px;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high);
      font-family: ui-monospace, monospace;
      user-select: all;
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class RedemptionCodesDialog {
  private readonly dialogRef = inject<MatDialogRef<RedemptionCodesDialog, string>>(MatDialogRef);
  private readonly api = inject(TopUpAdminApi);
  private readonly clipboard = inject(Clipboard);

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
  /** Set once made: the batch and its codes, shown until the admin closes the dialog. */
  protected readonly created = signal<(CreatedRedemptionCodes & { credits: number }) | null>(null);
  protected readonly copied = signal(false);

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
        // From here a stray click or Escape must not throw the only copy of the codes away.
        this.dialogRef.disableClose = true;
        this.created.set({ ...created, credits: request.credits });
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(toApiError(error).summary);
      },
    });
  }

  protected copy(codes: readonly string[]): void {
    this.copied.set(this.clipboard.copy(codes.join('\n')));
  }

  protected download(batch: CreatedRedemptionCodes): void {
    saveFile(
      new Blob([`${batch.codes.join('\n')}\n`], { type: 'text/plain' }),
      `redemption-codes-${batch.batchId}.txt`,
    );
  }

  protected done(): void {
    const created = this.created();
    this.created.set(null);
    this.dialogRef.close(created?.batchId);
  }
}
