import { BreakpointObserver } from '@angular/cdk/layout';
import { inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { map } from 'rxjs';

/** Phones and narrow windows (the 390 px layout): fewer table columns, a drawer for navigation. */
export const NARROW_SCREEN_QUERY = '(max-width: 799px)';

/** Whether the window is narrow now; call in an injection context. */
export function narrowScreen(): Signal<boolean> {
  return toSignal(
    inject(BreakpointObserver)
      .observe(NARROW_SCREEN_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
}
