import { computed, linkedSignal } from '@angular/core';

/**
 * Forward/back paging over the API's keyset cursors: the API only knows "the page after this
 * cursor", so the way back is the trail of cursors already visited. The trail starts again at the
 * first page whenever `restartOn` changes (the list's filters), so a new filter never shows page 3
 * of the old one.
 */
export class CursorPager {
  private readonly trail;

  constructor(restartOn: () => unknown = () => null) {
    this.trail = linkedSignal<unknown, readonly (string | undefined)[]>({
      source: restartOn,
      computation: () => [undefined],
    });
  }

  /** The cursor of the page shown; undefined for the first page. */
  readonly cursor = computed(() => this.trail().at(-1));
  readonly pageNumber = computed(() => this.trail().length);
  readonly hasPrevious = computed(() => this.trail().length > 1);

  next(nextCursor: string): void {
    this.trail.update((trail) => [...trail, nextCursor]);
  }

  previous(): void {
    this.trail.update((trail) => (trail.length > 1 ? trail.slice(0, -1) : trail));
  }

  /** Back to the first page. */
  reset(): void {
    if (this.trail().length > 1) this.trail.set([undefined]);
  }
}
