import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { type MatSlideToggleChange, MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { ChannelTestResult, ChannelView } from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { ChannelDialog, type ChannelDialogData } from '@app/features/channels/channel-dialog';
import {
  balanceDisplay,
  channelStateLabel,
  disabledReasonOf,
  failureRateText,
  latencyText,
  maskedKey,
  upstreamNamesOf,
} from '@app/features/channels/channel-display';
import { ConfirmDialog, type ConfirmDialogData, type ConfirmDialogResult } from '@app/shared/confirm-dialog';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { narrowScreen } from '@app/shared/narrow-screen';
import { RowRequests } from '@app/shared/row-requests';

/**
 * The upstream channels: how each is doing on this instance (state, the last hour's calls, latency,
 * last error, the DeepSeek account's balance) and the admin's actions on them. Keys are write-only:
 * the page has only their last four characters, from the API.
 */
@Component({
  selector: 'cg-channels-page',
  imports: [
    DatePipe,
    DecimalPipe,
    LoadState,
    MatButtonModule,
    MatIconModule,
    MatSlideToggleModule,
    MatTableModule,
    MatTooltipModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './channels.page.html',
  styleUrls: ['../../shared/admin-list-page.scss', './channels.page.scss'],
})
export class ChannelsPage {
  private readonly api = inject(AdminApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly narrow = narrowScreen();

  protected readonly channels = this.api.channels();
  private readonly list = loaded(this.channels);
  protected readonly rows = computed(() => this.list() ?? []);
  /** Channels with a change or a test in flight. */
  protected readonly requests = new RowRequests();
  /** The latest test of each channel tested since the page opened. */
  protected readonly testResults = signal<ReadonlyMap<string, ChannelTestResult>>(new Map());
  protected readonly columns = computed(() =>
    this.narrow()
      ? ['name', 'state', 'actions']
      : ['name', 'routing', 'models', 'key', 'state', 'lastHour', 'lastError', 'balance', 'actions'],
  );

  protected readonly stateLabel = channelStateLabel;
  protected readonly disabledReason = disabledReasonOf;
  protected readonly maskedKey = maskedKey;
  protected readonly failureRate = failureRateText;
  protected readonly latency = latencyText;
  protected readonly balance = balanceDisplay;
  protected readonly upstreamNames = upstreamNamesOf;

  protected add(): void {
    this.openDialog(null, 'added');
  }

  protected edit(channel: ChannelView): void {
    this.openDialog(channel, 'saved');
  }

  protected test(channel: ChannelView): void {
    this.requests.run(channel.id, this.api.testChannel(channel.id), (result) => {
      this.testResults.update((results) => new Map(results).set(channel.id, result));
      this.snackBar.open(
        result.ok
          ? `${channel.name} answered in ${String(result.latencyMs)} ms.`
          : `${channel.name} failed the test: ${result.error ?? 'no answer'}`,
        'OK',
        { duration: result.ok ? 3000 : 8000 },
      );
      // The test call counts in the channel's figures and may change its state.
      this.channels.reload();
    });
  }

  protected setEnabled(channel: ChannelView, change: MatSlideToggleChange): void {
    this.requests.run(
      channel.id,
      this.api.updateChannel(channel.id, { enabled: change.checked }),
      (updated) => {
        this.channels.update((list) => list?.map((row) => (row.id === updated.id ? updated : row)));
        this.snackBar.open(`${updated.name} ${updated.enabled ? 'enabled' : 'disabled'}.`, 'OK', { duration: 3000 });
      },
      // The switch moved on click; put it back where the channel still is.
      () => {
        change.source.checked = channel.enabled;
      },
    );
  }

  protected remove(channel: ChannelView): void {
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, ConfirmDialogResult>(ConfirmDialog, {
        data: {
          title: `Delete channel ${channel.name}?`,
          message:
            'No request will be routed to it again, and its stored key is deleted with it. ' +
            'Usage rows it served keep its name.',
          confirmLabel: 'Delete channel',
          destructive: true,
        },
      })
      .afterClosed()
      .subscribe((confirmed) => {
        if (confirmed === undefined) return;
        this.requests.run(channel.id, this.api.deleteChannel(channel.id), () => {
          this.snackBar.open(`Channel ${channel.name} deleted.`, 'OK', { duration: 3000 });
          this.channels.reload();
        });
      });
  }

  private openDialog(channel: ChannelView | null, done: string): void {
    this.dialog
      .open<ChannelDialog, ChannelDialogData, ChannelView>(ChannelDialog, {
        data: { channel },
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((saved) => {
        if (saved === undefined) return;
        this.snackBar.open(`Channel ${saved.name} ${done}.`, 'OK', { duration: 3000 });
        // Priority and name set the order: the list comes back sorted.
        this.channels.reload();
      });
  }
}
