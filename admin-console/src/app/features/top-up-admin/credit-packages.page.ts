import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import type { AdminCreditPackageView } from '@creditgate/contract';
import { toApiError } from '@app/core/api-error';
import { TopUpAdminApi } from '@app/core/top-up-admin-api';
import { PackageDialog, type PackageDialogData } from '@app/features/top-up-admin/package-dialog';
import { ConfirmDialog, type ConfirmDialogData, type ConfirmDialogResult } from '@app/shared/confirm-dialog';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { moneyText } from '@app/shared/money';
import { narrowScreen } from '@app/shared/narrow-screen';

/**
 * The credit packages users can buy by card (docs/top-up.md): add, edit, archive (no longer offered;
 * its orders still name it) and restore. Editable while card top-up is off, so they can be ready first.
 */
@Component({
  selector: 'cg-credit-packages-page',
  imports: [DatePipe, DecimalPipe, LoadState, MatButtonModule, MatIconModule, MatTableModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="page-header">
      <h1>Credit packages</h1>
      <button mat-flat-button type="button" (click)="edit()" data-testid="add-package">
        <mat-icon>add</mat-icon> Add package
      </button>
    </header>
    <p class="muted">
      What users can buy with a card on their Top up page, when card top-up is on (Stripe keys configured). Orders keep
      the name, credits and price they were made with.
    </p>
    <cg-load-state
      [loading]="packages.isLoading()"
      [error]="packages.error()"
      [empty]="rows().length === 0"
      emptyText="No packages yet."
      (retry)="packages.reload()"
    />
    @if (rows().length > 0) {
      <div class="table-wrap">
        <table mat-table [dataSource]="rows()" class="table" data-testid="packages-table">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>Package</th>
            <td mat-cell *matCellDef="let pack" class="note">
              {{ pack.name }}
              @if (!pack.active) {
                <span class="pill off">archived</span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="credits">
            <th mat-header-cell *matHeaderCellDef class="number">Credits</th>
            <td mat-cell *matCellDef="let pack" class="number">{{ pack.credits | number }}</td>
          </ng-container>
          <ng-container matColumnDef="price">
            <th mat-header-cell *matHeaderCellDef class="number">Price</th>
            <td mat-cell *matCellDef="let pack" class="number">{{ money(pack.priceCents, pack.currency) }}</td>
          </ng-container>
          <ng-container matColumnDef="updatedAt">
            <th mat-header-cell *matHeaderCellDef>Changed</th>
            <td mat-cell *matCellDef="let pack">{{ pack.updatedAt | date: 'short' }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
            <td mat-cell *matCellDef="let pack" class="actions">
              <button mat-button type="button" (click)="edit(pack)" [attr.aria-label]="'Edit ' + pack.name">
                Edit
              </button>
              @if (pack.active) {
                <button
                  mat-button
                  type="button"
                  class="danger"
                  (click)="archive(pack)"
                  [attr.aria-label]="'Archive ' + pack.name"
                >
                  Archive
                </button>
              } @else {
                <button mat-button type="button" (click)="restore(pack)" [attr.aria-label]="'Restore ' + pack.name">
                  Restore
                </button>
              }
            </td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns()"></tr>
          <tr mat-row *matRowDef="let pack; columns: columns()" [attr.data-package-id]="pack.id"></tr>
        </table>
      </div>
    }
  `,
  styleUrl: './top-up-admin.scss',
})
export class CreditPackagesPage {
  private readonly api = inject(TopUpAdminApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly narrow = narrowScreen();

  protected readonly packages = this.api.packages();
  private readonly list = loaded(this.packages);
  protected readonly rows = computed(() => this.list()?.items ?? []);
  protected readonly money = moneyText;
  protected readonly columns = computed(() =>
    this.narrow() ? ['name', 'price', 'actions'] : ['name', 'credits', 'price', 'updatedAt', 'actions'],
  );

  protected edit(pack?: AdminCreditPackageView): void {
    this.dialog
      .open<PackageDialog, PackageDialogData, AdminCreditPackageView>(PackageDialog, {
        data: pack === undefined ? {} : { edit: pack },
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((saved) => {
        if (saved === undefined) return;
        this.snackBar.open(`Package ${saved.name} saved.`, 'OK', { duration: 3000 });
        this.packages.reload();
      });
  }

  protected archive(pack: AdminCreditPackageView): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, ConfirmDialogResult>(ConfirmDialog, {
        data: {
          title: 'Archive this package?',
          message: `${pack.name} will no longer be offered. Its orders keep naming it; you can restore it later.`,
          confirmLabel: 'Archive',
          destructive: true,
        },
      })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed !== undefined) this.change(this.api.archivePackage(pack.id), 'Package archived.');
      });
  }

  protected restore(pack: AdminCreditPackageView): void {
    this.change(this.api.updatePackage(pack.id, { active: true }), 'Package restored.');
  }

  private change(request: ReturnType<TopUpAdminApi['archivePackage']>, done: string): void {
    request.subscribe({
      next: () => {
        this.snackBar.open(done, 'OK', { duration: 3000 });
        this.packages.reload();
      },
      error: (error: unknown) => {
        this.snackBar.open(toApiError(error).summary, 'OK', { duration: 8000 });
      },
    });
  }
}
