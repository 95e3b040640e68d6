import { inject, signal } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { Observable } from 'rxjs';
import { toApiError } from '@app/core/api-error';

/**
 * The requests a list's rows start (test, enable, delete, retry…): which rows have one in flight, so
 * their buttons cannot start a second, and the snack bar that tells a refusal. Create it in a field
 * initializer: it injects the snack bar.
 */
export class RowRequests {
  private readonly snackBar = inject(MatSnackBar);
  private readonly inFlight = signal<ReadonlySet<string>>(new Set());

  /** Whether the row (by id) has a request in flight: its buttons are disabled meanwhile. */
  busy(id: string): boolean {
    return this.inFlight().has(id);
  }

  /**
   * Runs a row's request: `done` gets its answer; a refusal calls `undo` (to put back what the click
   * already changed on screen) and shows the API's summary.
   */
  run<T>(id: string, request: Observable<T>, done: (answer: T) => void, undo?: () => void): void {
    this.mark(id, true);
    request.subscribe({
      next: (answer) => {
        this.mark(id, false);
        done(answer);
      },
      error: (error: unknown) => {
        undo?.();
        this.mark(id, false);
        this.snackBar.open(toApiError(error).summary, 'OK', { duration: 8000 });
      },
    });
  }

  private mark(id: string, inFlight: boolean): void {
    this.inFlight.update((ids) => {
      const next = new Set(ids);
      if (inFlight) next.add(id);
      else next.delete(id);
      return next;
    });
  }
}
