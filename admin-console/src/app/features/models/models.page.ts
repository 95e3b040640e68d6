import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import type { AdminModel } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { describePriceChange } from '@app/features/models/price-change';
import { PriceDialog } from '@app/features/models/price-dialog';
import { CursorPager } from '@app/shared/cursor-pager';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { PagerControls } from '@app/shared/pager-controls';

const AUDIT_PAGE_SIZE = 10;

/** The price table, and who changed it when and why. */
@Component({
  selector: 'cg-models-page',
  imports: [DatePipe, DecimalPipe, LoadState, MatButtonModule, MatIconModule, MatTableModule, PagerControls],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './models.page.html',
  styles: `
    .details {
      overflow-wrap: anywhere;
      max-width: 420px;
    }
  `,
})
export class ModelsPage {
  private readonly api = inject(AdminApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly narrow = narrowScreen();

  protected readonly models = this.api.models();
  protected readonly describeChange = describePriceChange;
  protected readonly auditPager = new CursorPager();
  protected readonly audit = this.api.audit(() => ({
    targetType: 'model',
    cursor: this.auditPager.cursor(),
    limit: AUDIT_PAGE_SIZE,
  }));
  private readonly modelsPage = loaded(this.models);
  protected readonly rows = computed(() => this.modelsPage()?.items ?? []);
  protected readonly auditPage = loaded(this.audit);
  protected readonly auditRows = computed(() => this.auditPage()?.items ?? []);
  protected readonly columns = computed(() =>
    this.narrow()
      ? ['model', 'enabled', 'edit']
      : [
          'model',
          'provider',
          'enabled',
          'requestCredits',
          'inputCreditsPer1k',
          'outputCreditsPer1k',
          'updatedAt',
          'edit',
        ],
  );
  protected readonly auditColumns = computed(() =>
    this.narrow() ? ['createdAt', 'targetId', 'actor'] : ['createdAt', 'targetId', 'actor', 'details', 'reason'],
  );

  protected edit(model: AdminModel): void {
    this.dialog
      .open<PriceDialog, AdminModel, AdminModel>(PriceDialog, { data: model })
      .afterClosed()
      .subscribe((saved) => {
        if (saved === undefined) return;
        this.snackBar.open(`Price of ${saved.model} saved.`, 'OK', { duration: 3000 });
        this.models.reload();
        // The newest change is on the first page.
        this.auditPager.reset();
        this.audit.reload();
      });
  }
}
