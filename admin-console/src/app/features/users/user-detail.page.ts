import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import {
  type AdminUserDetail,
  type ApiKeyView,
  type RechargeResponse,
  Role,
  type UpdateUserAccessRequest,
} from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { toApiError } from '@app/core/api-error';
import { AuthSession } from '@app/core/auth-session';
import { RechargeDialog, type RechargeDialogData } from '@app/features/users/recharge-dialog';
import { ConfirmDialog, type ConfirmDialogData, type ConfirmDialogResult } from '@app/shared/confirm-dialog';
import { LedgerTable } from '@app/shared/ledger-table';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { ApiKeyTable } from '@app/shared/spend-controls/api-key-table';
import {
  KeyLimitsDialog,
  type KeyLimitsChange,
  type KeyLimitsDialogData,
} from '@app/shared/spend-controls/key-limits-dialog';
import { PeriodSpendView } from '@app/shared/spend-controls/period-spend';
import { SpendLimitDialog, type SpendLimitDialogData } from '@app/shared/spend-controls/spend-limit-dialog';
import { budgetText } from '@app/shared/spend-controls/spend-text';
import { type UsageColumn, UsageTable } from '@app/shared/usage-table';

const RECENT_USAGE_ROWS = 10;

/** One account: credits, ledger, usage, and the admin's actions on it. */
@Component({
  selector: 'cg-user-detail-page',
  imports: [
    ApiKeyTable,
    DatePipe,
    DecimalPipe,
    LedgerTable,
    LoadState,
    MatButtonModule,
    MatIconModule,
    PeriodSpendView,
    RouterLink,
    UsageTable,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './user-detail.page.html',
  styleUrl: './user-detail.page.scss',
})
export class UserDetailPage {
  private readonly api = inject(AdminApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly session = inject(AuthSession);
  private readonly narrow = narrowScreen();

  /** The route's `:id`. */
  readonly id = input.required<string>();

  protected readonly user = this.api.user(() => this.id());
  protected readonly usage = this.api.usage(() => ({ userId: this.id(), limit: RECENT_USAGE_ROWS }));
  protected readonly detail = loaded(this.user);
  private readonly usagePage = loaded(this.usage);
  protected readonly recentUsage = computed(() => this.usagePage()?.items ?? []);
  protected readonly changing = signal(false);
  protected readonly budgetText = budgetText;
  protected readonly isSelf = computed(() => this.session.user()?.id === this.id());
  protected readonly usageColumns = computed((): UsageColumn[] =>
    this.narrow()
      ? ['createdAt', 'statusAndChannel', 'creditsCharged']
      : [
          'createdAt',
          'model',
          'status',
          'channel',
          'creditsCharged',
          'tokens',
          'cacheHitTokens',
          'reasoningTokens',
          'peak',
          'latencyMs',
        ],
  );

  protected recharge(user: AdminUserDetail): void {
    this.dialog
      .open<RechargeDialog, RechargeDialogData, RechargeResponse>(RechargeDialog, {
        data: { user },
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((result) => {
        if (result === undefined) return;
        this.snackBar.open(
          result.replayed ? 'This recharge was already made; nothing was added again.' : 'Credits added.',
          'OK',
          { duration: 4000 },
        );
        this.user.reload();
      });
  }

  protected toggleRole(user: AdminUserDetail): void {
    const promote = user.role !== Role.Admin;
    this.confirmAndChange(user, promote ? { role: Role.Admin } : { role: Role.User }, {
      title: promote ? 'Make admin?' : 'Remove admin role?',
      message: promote
        ? `${user.email} will be able to recharge credits, change prices and manage users.`
        : `${user.email} will no longer be able to use this console.`,
      confirmLabel: promote ? 'Make admin' : 'Remove admin role',
      destructive: !promote,
      askReason: true,
    });
  }

  protected toggleDisabled(user: AdminUserDetail): void {
    const disable = !user.disabled;
    this.confirmAndChange(
      user,
      { disabled: disable },
      {
        title: disable ? 'Disable this account?' : 'Enable this account?',
        message: disable
          ? `${user.email} will be signed out and refused on every request, API keys included, until enabled again.`
          : `${user.email} will be able to sign in and use the API again.`,
        confirmLabel: disable ? 'Disable account' : 'Enable account',
        destructive: disable,
        askReason: true,
      },
    );
  }

  /** The user's spend limit over all its keys and sign-ins (docs/limits.md), set or removed. */
  protected editSpendLimit(user: AdminUserDetail): void {
    this.dialog
      .open<SpendLimitDialog, SpendLimitDialogData, boolean>(SpendLimitDialog, {
        data: {
          email: user.email,
          current: user.spendLimit,
          save: (spendLimit, reason) =>
            this.api.updateAccess(user.id, { spendLimit, ...(reason === undefined ? {} : { reason }) }),
        },
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((saved) => {
        if (saved !== true) return;
        this.snackBar.open('Spend limit saved.', 'OK', { duration: 3000 });
        this.user.reload();
      });
  }

  protected editKeyLimits(user: AdminUserDetail, key: ApiKeyView): void {
    this.dialog
      .open<KeyLimitsDialog, KeyLimitsDialogData, ApiKeyView>(KeyLimitsDialog, {
        data: {
          key,
          askReason: true,
          save: (change: KeyLimitsChange) => this.api.updateUserApiKey(user.id, key.id, change),
        },
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((updated) => {
        if (updated === undefined) return;
        this.snackBar.open('Key limits saved.', 'OK', { duration: 3000 });
        this.user.reload();
      });
  }

  protected revokeKey(user: AdminUserDetail, key: ApiKeyView): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, ConfirmDialogResult>(ConfirmDialog, {
        data: {
          title: 'Revoke this API key?',
          message: `${key.name} (${key.prefix}…) of ${user.email} will stop working at once. This cannot be undone.`,
          confirmLabel: 'Revoke key',
          destructive: true,
        },
      })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed === undefined) return;
        this.api.revokeUserApiKey(user.id, key.id).subscribe({
          next: () => {
            this.snackBar.open('Key revoked.', 'OK', { duration: 3000 });
            this.user.reload();
          },
          error: (error: unknown) => {
            this.snackBar.open(toApiError(error).summary, 'OK', { duration: 8000 });
          },
        });
      });
  }

  private confirmAndChange(user: AdminUserDetail, change: UpdateUserAccessRequest, dialog: ConfirmDialogData): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, ConfirmDialogResult>(ConfirmDialog, { data: dialog })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed === undefined) return;
        this.changing.set(true);
        this.api.updateAccess(user.id, { ...change, ...confirmed }).subscribe({
          next: (updated) => {
            this.user.set(updated);
            this.changing.set(false);
            this.snackBar.open('Saved.', 'OK', { duration: 3000 });
          },
          error: (error: unknown) => {
            this.changing.set(false);
            this.snackBar.open(toApiError(error).summary, 'OK', { duration: 8000 });
          },
        });
      });
  }
}
