import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { toApiError } from '@app/core/api-error';

/** The loading bar, the error banner (with a retry) and the empty state every list and page shows. */
@Component({
  selector: 'cg-load-state',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading" />
    }
    @if (errorText(); as text) {
      <div class="banner error" role="alert">
        <mat-icon>error_outline</mat-icon>
        <span class="text">{{ text }}</span>
        <button mat-button type="button" (click)="retry.emit()">Retry</button>
      </div>
    } @else if (empty() && !loading()) {
      <div class="banner empty">
        <mat-icon>inbox</mat-icon>
        <span class="text">{{ emptyText() }}</span>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .banner {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 16px;
      border-radius: 12px;
      margin: 8px 0;
    }
    .error {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .empty {
      justify-content: center;
      color: var(--mat-sys-on-surface-variant);
      padding: 32px 16px;
    }
    .text {
      flex: 1;
    }
    .empty .text {
      flex: none;
    }
  `,
})
export class LoadState {
  readonly loading = input(false);
  readonly error = input<unknown>(undefined);
  readonly empty = input(false);
  readonly emptyText = input('Nothing here yet.');
  readonly retry = output();

  protected readonly errorText = computed(() => {
    const error = this.error();
    return error === undefined || error === null ? null : toApiError(error).summary;
  });
}
