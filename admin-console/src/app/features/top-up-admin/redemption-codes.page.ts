import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import type { RedemptionBatchView } from '@creditgate/contract';
import { toApiError } from '@app/core/api-error';
import { TopUpAdminApi } from '@app/core/top-up-admin-api';
import { RedemptionCodesDialog } from '@app/features/top-up-admin/redemption-codes-dialog';
import { ConfirmDialog, type ConfirmDialogData, type ConfirmDialogResult } from '@app/shared/confirm-dialog';
import { CursorPager } from '@app/shared/cursor-pager';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { PagerControls } from '@app/shared/pager-controls';

const PAGE_SIZE = 25;

/** Whether a batch's unused codes can still be redeemed. */
export function batchState(batch: RedemptionBatchView, now: number = Date.now()): 'active' | 'revoked' | 'expired' {
  if (batch.revokedAt !== null) return 'revoked';
  if (batch.expiresAt !== null && new Date(batch.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

/**
 * Batches of redemption codes (docs/top-up.md): make one (its codes are shown once), see how many of
 * each were redeemed, revoke a batch's unused codes.
 */
@Component({
  selector: 'cg-redemption-codes-page',
  imports: [DatePipe, DecimalPipe, LoadState, MatButtonModule, MatIconModule, MatTableModule, PagerControls],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './redemption-codes.page.html',
  styleUrl: './top-up-admin.scss',
})
export class RedemptionCodesPage {
  private readonly api = inject(TopUpAdminApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly narrow = narrowScreen();

  protected readonly pager = new CursorPager();
  protected readonly batches = this.api.batches(() => ({ cursor: this.pager.cursor(), limit: PAGE_SIZE }));
  protected readonly page = loaded(this.batches);
  protected readonly rows = computed(() => this.page()?.items ?? []);
  protected readonly state = batchState;
  protected readonly columns = computed(() =>
    this.narrow()
      ? ['batch', 'redeemed', 'actions']
      : ['createdAt', 'batch', 'credits', 'redeemed', 'expiresAt', 'state', 'actions'],
  );

  protected create(): void {
    this.dialog
      .open<RedemptionCodesDialog, undefined, string>(RedemptionCodesDialog, { autoFocus: 'first-tabbable' })
      .afterClosed()
      .subscribe((batchId) => {
        if (batchId === undefined) return;
        this.pager.reset();
        this.batches.reload();
      });
  }

  protected revoke(batch: RedemptionBatchView): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, ConfirmDialogResult>(ConfirmDialog, {
        data: {
          title: 'Revoke the unused codes?',
          message: `${String(batch.unused)} unused codes of “${batch.note}” will no longer redeem. Codes already redeemed stay redeemed. This cannot be undone.`,
          confirmLabel: 'Revoke codes',
          destructive: true,
        },
      })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed === undefined) return;
        this.api.revokeBatch(batch.id).subscribe({
          next: () => {
            this.snackBar.open('Unused codes revoked.', 'OK', { duration: 3000 });
            this.batches.reload();
          },
          error: (error: unknown) => {
            this.snackBar.open(toApiError(error).summary, 'OK', { duration: 8000 });
          },
        });
      });
  }
}
