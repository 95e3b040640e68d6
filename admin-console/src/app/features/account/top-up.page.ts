import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import {
  type CheckoutReturn,
  type CreditPackageView,
  ErrorCode,
  type PaymentOrderStatus,
  type RedeemCodeResponse,
} from '@creditgate/contract';
import { ApiError, toApiError } from '@app/core/api-error';
import { BrowserLocation } from '@app/core/browser-location';
import { UserApi } from '@app/core/user-api';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { moneyText } from '@app/shared/money';
import { narrowScreen } from '@app/shared/narrow-screen';

/** Codes are about 30 characters with their dashes; anything much longer is a paste gone wrong. */
const CODE_MAX_CHARS = 100;
/** After a return from Checkout: how often, and how many times, to look for the payment's arrival. */
const PAYMENT_POLL_MS = 3000;
const PAYMENT_POLL_TIMES = 20;

const ORDER_STATUS_LABELS: Record<PaymentOrderStatus, string> = {
  pending: 'Pending',
  paid: 'Paid',
  expired: 'Expired',
  failed: 'Failed',
};

/** What a refused redemption tells the user: each case of docs/top-up.md in plain words. */
export function redeemErrorText(error: ApiError): string {
  switch (error.code) {
    case ErrorCode.NotFound:
      return 'This code does not exist or was revoked. Check it for typos.';
    case ErrorCode.CodeAlreadyRedeemed:
      return 'This code has already been redeemed.';
    case ErrorCode.CodeExpired:
      return 'This code has expired.';
    case ErrorCode.RateLimited:
      return error.retryAfter === null
        ? 'Too many attempts. Please wait and try again.'
        : `Too many attempts. Try again in ${String(error.retryAfter)} s.`;
    default:
      return error.summary;
  }
}

/**
 * Adding credits: a redemption code (always), and card payment through Stripe Checkout when the
 * operator turned it on (the billing API answers 404 otherwise, and the card part stays hidden).
 * Stripe sends the browser back here with `?order=…&checkout=success|cancelled`; what counts is the
 * order's status, which turns Paid when Stripe's signed webhook reaches the server.
 */
@Component({
  selector: 'cg-top-up-page',
  imports: [
    DatePipe,
    DecimalPipe,
    LoadState,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './top-up.page.html',
  styleUrls: ['./account.scss', './top-up.page.scss'],
})
export class TopUpPage {
  private readonly api = inject(UserApi);
  private readonly location = inject(BrowserLocation);
  private readonly narrow = narrowScreen();

  /** From Stripe's return URL. */
  readonly order = input<string | undefined>(undefined);
  readonly checkout = input<CheckoutReturn | undefined>(undefined);

  protected readonly credits = this.api.credits();
  protected readonly balance = loaded(this.credits);
  protected readonly packages = this.api.packages();
  protected readonly orders = this.api.orders();
  private readonly packageList = loaded(this.packages);
  private readonly orderList = loaded(this.orders);
  /** Card top-up is off: the billing API is not there (404). Other failures show with a retry. */
  protected readonly cardOff = computed(() => {
    const error = this.packages.error();
    return error instanceof ApiError && error.status === 404;
  });
  protected readonly packageError = computed(() => (this.cardOff() ? undefined : this.packages.error()));
  protected readonly packageItems = computed(() => this.packageList()?.items ?? []);
  protected readonly orderItems = computed(() => this.orderList()?.items ?? []);
  protected readonly returnedOrder = computed(() => {
    const id = this.order();
    return id === undefined ? undefined : this.orderItems().find((order) => order.id === id);
  });
  protected readonly orderColumns = computed(() =>
    this.narrow() ? ['createdAt', 'credits', 'status'] : ['createdAt', 'packageName', 'credits', 'amount', 'status'],
  );

  protected readonly code = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.maxLength(CODE_MAX_CHARS), Validators.pattern(/\S/)],
  });
  protected readonly redeemForm = new FormGroup({ code: this.code });
  protected readonly codeMaxChars = CODE_MAX_CHARS;
  protected readonly redeeming = signal(false);
  protected readonly redeemError = signal<string | null>(null);
  protected readonly redeemed = signal<RedeemCodeResponse | null>(null);
  /** The package whose checkout is being opened (its button shows the wait). */
  protected readonly startingCheckout = signal<string | null>(null);
  protected readonly checkoutError = signal<string | null>(null);

  protected readonly money = moneyText;
  protected readonly statusLabel = (status: PaymentOrderStatus): string => ORDER_STATUS_LABELS[status];

  constructor() {
    // Back from Checkout with the order still pending: look again every few seconds, for a minute,
    // until Stripe's webhook has marked it paid (or expired); then the balance is fresh too.
    let polls = 0;
    effect((onCleanup) => {
      const returned = this.returnedOrder();
      if (this.checkout() !== 'success' || returned?.status !== 'pending' || polls >= PAYMENT_POLL_TIMES) return;
      const timer = setTimeout(() => {
        polls += 1;
        this.orders.reload();
        this.credits.reload();
      }, PAYMENT_POLL_MS);
      onCleanup(() => {
        clearTimeout(timer);
      });
    });
  }

  protected redeem(): void {
    if (this.redeeming()) return;
    if (this.code.invalid) {
      this.code.markAsTouched();
      return;
    }
    this.redeeming.set(true);
    this.redeemError.set(null);
    this.redeemed.set(null);
    this.api.redeem(this.code.value.trim()).subscribe({
      next: (result) => {
        this.redeeming.set(false);
        this.redeemed.set(result);
        this.code.reset();
        this.credits.reload();
      },
      error: (error: unknown) => {
        this.redeeming.set(false);
        this.redeemError.set(redeemErrorText(toApiError(error)));
      },
    });
  }

  /** A pending order and Stripe's Checkout page for it; the browser leaves for that page. */
  protected pay(pack: CreditPackageView): void {
    if (this.startingCheckout() !== null) return;
    this.startingCheckout.set(pack.id);
    this.checkoutError.set(null);
    this.api.checkout(pack.id).subscribe({
      next: ({ url }) => {
        this.location.assign(url);
      },
      error: (error: unknown) => {
        this.startingCheckout.set(null);
        this.checkoutError.set(toApiError(error).summary);
        this.orders.reload();
      },
    });
  }
}
