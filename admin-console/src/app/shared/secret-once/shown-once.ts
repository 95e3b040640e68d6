import { inject, signal } from '@angular/core';
import { MatDialogRef } from '@angular/material/dialog';

/**
 * The close guard of a dialog that shows a secret once (an API key, a webhook signing secret,
 * redemption codes): the API keeps only a hash or a cipher, so this dialog holds the only readable
 * copy. Create it in a field initializer of the dialog: it injects the dialog's ref.
 */
export class ShownOnce<Created> {
  private readonly dialogRef = inject<MatDialogRef<unknown, unknown>>(MatDialogRef);

  /** What was created, secret included, while the dialog shows it; null before (and after closing). */
  readonly created = signal<Created | null>(null);

  show(created: Created): void {
    // From here a stray click or Escape must not throw the only copy of the secret away: only the
    // dialog's own button closes it.
    this.dialogRef.disableClose = true;
    this.created.set(created);
  }

  /** Forgets the secret and closes with what the page may keep of it (never the secret itself). */
  close(keep: (created: Created) => unknown): void {
    const created = this.created();
    this.created.set(null);
    this.dialogRef.close(created === null ? undefined : keep(created));
  }
}
