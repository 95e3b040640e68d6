import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ConfirmDialog, type ConfirmDialogData, type ConfirmDialogResult } from '@app/shared/confirm-dialog';

describe('ConfirmDialog', () => {
  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((container) => {
      container.remove();
    });
  });

  /** Opens the dialog, clicks one of its buttons, and answers what it closed with. */
  async function closeWith(button: 'Delete' | 'Cancel', data: Partial<ConfirmDialogData> = {}): Promise<unknown> {
    const ref = TestBed.inject(MatDialog).open<ConfirmDialog, ConfirmDialogData, ConfirmDialogResult>(ConfirmDialog, {
      data: { title: 'Delete it?', message: 'Gone for good.', confirmLabel: 'Delete', destructive: true, ...data },
    });
    const closed = new Promise<unknown>((resolve) => {
      ref.afterClosed().subscribe(resolve);
    });
    TestBed.tick();
    if (data.askReason) {
      const reason = document.querySelector<HTMLTextAreaElement>('mat-dialog-container textarea');
      if (!reason) throw new Error('no reason field');
      reason.value = '  suspected abuse ';
      reason.dispatchEvent(new Event('input'));
    }
    const clicked = Array.from(document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button')).find(
      (candidate) => candidate.textContent.trim() === button,
    );
    if (!clicked) throw new Error(`no ${button} button`);
    clicked.click();
    return closed;
  }

  // Every destructive act (delete a channel or an endpoint, revoke a key, disable a user) goes ahead
  // unless this is undefined: a cancel that closed with anything else would do what it cancelled.
  it('closes with undefined when cancelled', async () => {
    await expect(closeWith('Cancel')).resolves.toBeUndefined();
  });

  it('closes with a result when confirmed, the reason trimmed', async () => {
    await expect(closeWith('Delete')).resolves.toEqual({});
    await expect(closeWith('Delete', { askReason: true })).resolves.toEqual({ reason: 'suspected abuse' });
  });
});
