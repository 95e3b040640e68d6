import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import {
  type AdminUserDetail,
  type LedgerKind,
  type RechargeResponse,
  Role,
  type UpdateUserAccessRequest,
} from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { toApiError } from '@app/core/api-error';
import { AuthSession } from '@app/core/auth-session';
import { RechargeDialog, type RechargeDialogData } from '@app/features/users/recharge-dialog';
import { ConfirmDialog, type ConfirmDialogData, type ConfirmDialogResult } from '@app/shared/confirm-dialog';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { type UsageColumn, UsageTable } from '@app/shared/usage-table';

const RECENT_USAGE_ROWS = 10;

const LEDGER_KINDS: Record<LedgerKind, string> = {
  signup_grant: 'Signup grant',
  recharge: 'Recharge',
  charge: 'Charge',
  redeem: 'Redemption code',
  payment: 'Card payment',
};

/** One account: credits, ledger, usage, and the admin's actions on it. */
@Component({
  selector: 'cg-user-detail-page',
  imports: [DatePipe, DecimalPipe, LoadState, MatButtonModule, MatIconModule, MatTableModule, RouterLink, UsageTable],
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
  protected readonly ledgerKindLabel = (kind: LedgerKind): string => LEDGER_KINDS[kind];
  protected readonly isSelf = computed(() => this.session.user()?.id === this.id());
  protected readonly ledgerColumns = computed(() =>
    this.narrow() ? ['createdAt', 'amount', 'balanceAfter'] : ['createdAt', 'kind', 'amount', 'balanceAfter', 'reason'],
  );
  protected readonly usageColumns = computed((): UsageColumn[] =>
    this.narrow()
      ? ['createdAt', 'status', 'creditsCharged']
      : [
          'createdAt',
          'model',
          'status',
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
