import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { WebhookDeliveryView, WebhookEndpointView } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import {
  attemptsText,
  canRetry,
  deliveryStatusLabel,
  errorBesidesAnswer,
  lastAnswerText,
} from '@app/features/webhooks/webhook-display';
import { WebhookDialog } from '@app/features/webhooks/webhook-dialog';
import { ConfirmDialog, type ConfirmDialogData, type ConfirmDialogResult } from '@app/shared/confirm-dialog';
import { CursorPager } from '@app/shared/cursor-pager';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { PagerControls } from '@app/shared/pager-controls';
import { RowRequests } from '@app/shared/row-requests';

const DELIVERIES_PAGE_SIZE = 20;

/**
 * Signed webhook alerts (docs/alerts.md): the endpoints with their delivery counts, and the chosen
 * endpoint's recent deliveries — what each attempt got back, and "retry now" for those not yet
 * delivered. Signing secrets are shown once, by the add dialog; this page never holds one.
 */
@Component({
  selector: 'cg-webhooks-page',
  imports: [
    DatePipe,
    DecimalPipe,
    LoadState,
    MatButtonModule,
    MatIconModule,
    MatTableModule,
    MatTooltipModule,
    PagerControls,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './webhooks.page.html',
  styleUrls: ['../../shared/admin-list-page.scss', './webhooks.page.scss'],
})
export class WebhooksPage {
  private readonly api = inject(AdminApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly narrow = narrowScreen();

  protected readonly endpoints = this.api.webhooks();
  private readonly list = loaded(this.endpoints);
  protected readonly rows = computed(() => this.list() ?? []);
  /** Endpoints and deliveries with a request in flight. */
  protected readonly requests = new RowRequests();

  private readonly selectedId = signal<string | null>(null);
  /** The endpoint whose deliveries show; none once it is deleted. */
  protected readonly selected = computed(() => this.rows().find((row) => row.id === this.selectedId()) ?? null);
  /** A boolean, not the row: a reloaded list brings new row objects, which must not refetch the deliveries. */
  private readonly selectedListed = computed(() => this.selected() !== null);
  /** Choosing another endpoint starts its deliveries at the first page. */
  protected readonly pager = new CursorPager(() => this.selectedId());
  protected readonly deliveries = this.api.webhookDeliveries(() => {
    const endpointId = this.selectedId();
    return endpointId === null || !this.selectedListed()
      ? undefined
      : { endpointId, cursor: this.pager.cursor(), limit: DELIVERIES_PAGE_SIZE };
  });
  private readonly deliveriesPage = loaded(this.deliveries);
  protected readonly deliveryRows = computed(() => this.deliveriesPage()?.items ?? []);
  protected readonly nextCursor = computed(() => this.deliveriesPage()?.nextCursor ?? null);

  protected readonly columns = computed(() =>
    this.narrow() ? ['url', 'counts', 'actions'] : ['url', 'events', 'counts', 'createdAt', 'actions'],
  );
  protected readonly deliveryColumns = computed(() =>
    this.narrow()
      ? ['event', 'status', 'retry']
      : ['event', 'status', 'attempts', 'nextAttempt', 'lastAnswer', 'lastError', 'deliveredAt', 'retry'],
  );

  protected readonly statusLabel = deliveryStatusLabel;
  protected readonly canRetry = canRetry;
  protected readonly lastAnswer = lastAnswerText;
  protected readonly errorBesidesAnswer = errorBesidesAnswer;
  protected readonly attempts = attemptsText;

  protected select(endpoint: WebhookEndpointView): void {
    this.selectedId.set(endpoint.id);
  }

  protected refresh(): void {
    this.endpoints.reload();
    this.deliveries.reload();
  }

  protected add(): void {
    this.dialog
      .open<WebhookDialog, undefined, WebhookEndpointView>(WebhookDialog, { autoFocus: 'first-tabbable' })
      .afterClosed()
      .subscribe((endpoint) => {
        if (endpoint === undefined) return;
        this.snackBar.open(`Endpoint ${endpoint.url} added.`, 'OK', { duration: 3000 });
        this.selectedId.set(endpoint.id);
        this.endpoints.reload();
      });
  }

  protected sendTest(endpoint: WebhookEndpointView): void {
    this.requests.run(endpoint.id, this.api.sendTestWebhook(endpoint.id), () => {
      this.snackBar.open(`Test event queued for ${endpoint.url}.`, 'OK', { duration: 3000 });
      // Show where it goes: the endpoint's deliveries, newest (this one) first.
      this.selectedId.set(endpoint.id);
      this.pager.reset();
      this.refresh();
    });
  }

  protected retry(delivery: WebhookDeliveryView): void {
    const endpoint = this.selected();
    if (endpoint === null) return;
    this.requests.run(delivery.id, this.api.retryWebhookDelivery(endpoint.id, delivery.id), () => {
      this.snackBar.open(`${delivery.eventType} will be sent again now.`, 'OK', { duration: 3000 });
      this.refresh();
    });
  }

  protected remove(endpoint: WebhookEndpointView): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, ConfirmDialogResult>(ConfirmDialog, {
        data: {
          title: `Delete the endpoint ${endpoint.url}?`,
          message:
            'It gets no more events, and its deliveries — pending ones included — are deleted with it. ' +
            'Its signing secret cannot be brought back: a new endpoint gets a new one.',
          confirmLabel: 'Delete endpoint',
          destructive: true,
        },
      })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed === undefined) return;
        this.requests.run(endpoint.id, this.api.deleteWebhook(endpoint.id), () => {
          if (this.selectedId() === endpoint.id) this.selectedId.set(null);
          this.snackBar.open(`Endpoint ${endpoint.url} deleted.`, 'OK', { duration: 3000 });
          this.endpoints.reload();
        });
      });
  }
}
