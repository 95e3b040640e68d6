import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { CursorPager } from '@app/shared/cursor-pager';

/** Previous / next under a list; hidden while a single page holds everything. */
@Component({
  selector: 'cg-pager-controls',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (pager().hasPrevious() || nextCursor() !== null) {
      <nav class="pager" aria-label="Pages">
        <button mat-stroked-button type="button" [disabled]="!pager().hasPrevious()" (click)="pager().previous()">
          <mat-icon>chevron_left</mat-icon> Previous
        </button>
        <span class="page">Page {{ pager().pageNumber() }}</span>
        <button
          mat-stroked-button
          type="button"
          data-testid="next-page"
          [disabled]="nextCursor() === null"
          (click)="goNext()"
        >
          Next <mat-icon iconPositionEnd>chevron_right</mat-icon>
        </button>
      </nav>
    }
  `,
  styles: `
    .pager {
      display: flex;
      align-items: center;
      justify-content: flex-end;
      gap: 12px;
      margin-top: 12px;
    }
    .page {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class PagerControls {
  readonly pager = input.required<CursorPager>();
  readonly nextCursor = input.required<string | null>();

  protected goNext(): void {
    const cursor = this.nextCursor();
    if (cursor !== null) this.pager().next(cursor);
  }
}
