import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { REASON_MAX_CHARS } from '@creditgate/contract';

export interface ConfirmDialogData {
  title: string;
  message: string;
  confirmLabel: string;
  /** Red confirm button, for acts that take something away (disable, demote). */
  destructive?: boolean;
  /** Ask for a reason, kept in the audit log. */
  askReason?: boolean;
}

/** What the dialog closes with when confirmed; `undefined` when cancelled. */
export interface ConfirmDialogResult {
  reason?: string;
}

@Component({
  selector: 'cg-confirm-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
      @if (data.askReason) {
        <mat-form-field class="full">
          <mat-label>Reason (kept in the audit log)</mat-label>
          <textarea matInput [formControl]="reason" rows="2" [attr.maxlength]="reasonMaxChars"></textarea>
        </mat-form-field>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <!-- Closes with undefined: a bare mat-dialog-close attribute would close with "", read as confirmed. -->
      <button mat-button type="button" [mat-dialog-close]="undefined">Cancel</button>
      <button
        mat-flat-button
        type="button"
        [class.destructive]="data.destructive"
        (click)="confirm()"
        data-testid="confirm"
      >
        {{ data.confirmLabel }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .full {
      width: 100%;
    }
    .destructive {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<ConfirmDialog, ConfirmDialogResult>>(MatDialogRef);
  protected readonly reason = new FormControl('', {
    nonNullable: true,
    validators: [Validators.maxLength(REASON_MAX_CHARS)],
  });
  protected readonly reasonMaxChars = REASON_MAX_CHARS;

  protected confirm(): void {
    const reason = this.reason.value.trim();
    this.dialogRef.close(reason === '' ? {} : { reason });
  }
}
