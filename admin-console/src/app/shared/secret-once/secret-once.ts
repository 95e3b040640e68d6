import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/**
 * A secret shown the one time anyone sees it, inside a dialog's content: the notice that it will not
 * show again (its words projected with the `notice` attribute), the secret (a string in one block,
 * or a list one line each), a copy button, and room for more buttons (projected with the `actions`
 * attribute). A browser may refuse to copy; then the notice below says to select the text instead.
 */
@Component({
  selector: 'cg-secret-once',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="warning" role="alert">
      <mat-icon>warning_amber</mat-icon>
      <span><ng-content select="[notice]" /></span>
    </p>
    @if (lines(); as list) {
      <div class="secret list" [attr.data-testid]="secretTestId()">
        @for (line of list; track line) {
          <div [attr.data-testid]="lineTestId()">{{ line }}</div>
        }
      </div>
    } @else {
      <code class="secret" [attr.data-testid]="secretTestId()">{{ secret() }}</code>
    }
    <div class="buttons">
      <button mat-stroked-button type="button" (click)="copy()" [attr.data-testid]="copyTestId()">
        <mat-icon>{{ copyState() === 'copied' ? 'check' : 'content_copy' }}</mat-icon>
        {{ copyState() === 'copied' ? 'Copied' : copyLabel() }}
      </button>
      <ng-content select="[actions]" />
    </div>
    @if (copyState() === 'failed') {
      <p class="dialog-error" role="alert">The browser did not let the page copy: select the text and copy it.</p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .warning {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      padding: 12px;
      border-radius: 12px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .warning mat-icon {
      flex: none;
    }
    .secret {
      display: block;
      margin: 12px 0 8px;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high);
      font-family: ui-monospace, monospace;
      overflow-wrap: anywhere;
      user-select: all;
    }
    .list {
      max-height: 40vh;
      overflow: auto;
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class SecretOnce {
  private readonly clipboard = inject(Clipboard);

  /** One secret (a block), or several (a line each); "copy" copies them one a line. */
  readonly secret = input.required<string | readonly string[]>();
  readonly copyLabel = input.required<string>();
  readonly secretTestId = input.required<string>();
  readonly copyTestId = input.required<string>();
  /** The test id of each line of a list. */
  readonly lineTestId = input<string>();

  protected readonly lines = computed(() => {
    const secret = this.secret();
    return typeof secret === 'string' ? null : secret;
  });
  protected readonly copyState = signal<'idle' | 'copied' | 'failed'>('idle');

  protected copy(): void {
    const secret = this.secret();
    const text = typeof secret === 'string' ? secret : secret.join('\n');
    this.copyState.set(this.clipboard.copy(text) ? 'copied' : 'failed');
  }
}
