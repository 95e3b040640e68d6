import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { ApiKeyView } from '@creditgate/contract';
import { toApiError } from '@app/core/api-error';
import { UserApi } from '@app/core/user-api';
import { CreateKeyDialog } from '@app/features/account/create-key-dialog';
import { ConfirmDialog, type ConfirmDialogData, type ConfirmDialogResult } from '@app/shared/confirm-dialog';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { ApiKeyTable } from '@app/shared/spend-controls/api-key-table';
import {
  KeyLimitsDialog,
  type KeyLimitsChange,
  type KeyLimitsDialogData,
} from '@app/shared/spend-controls/key-limits-dialog';

/**
 * The user's own API keys: each with its limits and its spend in the current period (the same table
 * and limits dialog an admin uses on a user's page); create, change limits, revoke.
 */
@Component({
  selector: 'cg-keys-page',
  imports: [ApiKeyTable, LoadState, MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="page-header">
      <h1>My API keys</h1>
      <button mat-flat-button type="button" (click)="create()" data-testid="create-key">
        <mat-icon>add</mat-icon> Create key
      </button>
    </header>
    <p class="muted">
      A key calls the AI APIs in your name and spends your credits. Give each program its own key, with a budget, the
      models it needs and where it runs from; a revoked key stops working at once.
    </p>
    <cg-load-state
      [loading]="keys.isLoading()"
      [error]="keys.error()"
      [empty]="items().length === 0"
      emptyText="No API keys yet."
      (retry)="keys.reload()"
    />
    @if (items().length > 0) {
      <cg-api-key-table [keys]="items()" (editLimits)="editLimits($event)" (revoke)="revoke($event)" />
    }
  `,
})
export class KeysPage {
  private readonly api = inject(UserApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly keys = this.api.keys();
  private readonly list = loaded(this.keys);
  protected readonly items = computed(() => this.list()?.items ?? []);

  protected create(): void {
    this.dialog
      .open<CreateKeyDialog, undefined, ApiKeyView>(CreateKeyDialog, { autoFocus: 'first-tabbable' })
      .afterClosed()
      .subscribe((created) => {
        if (created === undefined) return;
        this.snackBar.open(`Key ${created.name} created.`, 'OK', { duration: 3000 });
        this.keys.reload();
      });
  }

  protected editLimits(key: ApiKeyView): void {
    this.dialog
      .open<KeyLimitsDialog, KeyLimitsDialogData, ApiKeyView>(KeyLimitsDialog, {
        data: {
          key,
          askReason: false,
          save: ({ reason: _reason, ...limits }: KeyLimitsChange) => this.api.updateKey(key.id, limits),
        },
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((updated) => {
        if (updated === undefined) return;
        this.snackBar.open('Key limits saved.', 'OK', { duration: 3000 });
        this.keys.reload();
      });
  }

  protected revoke(key: ApiKeyView): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, ConfirmDialogResult>(ConfirmDialog, {
        data: {
          title: 'Revoke this API key?',
          message: `${key.name} (${key.prefix}…) will stop working at once. This cannot be undone.`,
          confirmLabel: 'Revoke key',
          destructive: true,
        },
      })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed === undefined) return;
        this.api.revokeKey(key.id).subscribe({
          next: () => {
            this.snackBar.open('Key revoked.', 'OK', { duration: 3000 });
            this.keys.reload();
          },
          error: (error: unknown) => {
            this.snackBar.open(toApiError(error).summary, 'OK', { duration: 8000 });
          },
        });
      });
  }
}
