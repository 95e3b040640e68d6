import { DOCUMENT, inject, Injectable } from '@angular/core';

/** Leaving the console for another site (Stripe's hosted Checkout page); a seam the unit tests replace. */
@Injectable({ providedIn: 'root' })
export class BrowserLocation {
  private readonly document = inject(DOCUMENT);

  assign(url: string): void {
    this.document.location.assign(url);
  }
}
