import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import {
  type CreditPackageView,
  type CreditsView,
  type ErrorBody,
  ErrorCode,
  type ListResponse,
  type PaymentOrderView,
} from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { BrowserLocation } from '@app/core/browser-location';
import { TopUpPage } from '@app/features/account/top-up.page';

const starter: CreditPackageView = {
  id: '5f0c5c1e-6f0a-4c55-9c2e-0d6f3c1a2b3c',
  name: 'Starter',
  credits: 10_000,
  priceCents: 999,
  currency: 'usd',
};
const pendingOrder: PaymentOrderView = {
  id: '6a0c5c1e-6f0a-4c55-9c2e-0d6f3c1a2b3c',
  packageId: starter.id,
  packageName: 'Starter',
  credits: 10_000,
  amountCents: 999,
  currency: 'usd',
  status: 'pending',
  createdAt: '2026-12-01T10:00:00.000Z',
  paidAt: null,
};
const credits = (balance: number): CreditsView => ({ balance, held: 0, available: balance });
const error = (statusCode: number, code: ErrorCode, message: string): ErrorBody => ({
  statusCode,
  code,
  message,
  requestId: 'req-1',
});

describe('TopUpPage', () => {
  let fixture: ComponentFixture<TopUpPage>;
  let backend: HttpTestingController;
  let location: { assign: ReturnType<typeof vi.fn> };
  const element = () => fixture.nativeElement as HTMLElement;
  const byTestId = (id: string) => element().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => byTestId(id)?.textContent.replace(/\s+/g, ' ').trim();

  /** The request to `url` once the page has made it (resources start asynchronously). */
  async function request(url: string, method = 'GET'): Promise<TestRequest> {
    let found: TestRequest | undefined;
    await vi.waitFor(() => {
      TestBed.tick();
      found = backend.expectOne((candidate) => candidate.url === url && candidate.method === method);
    });
    if (!found) throw new Error(`no ${method} ${url}`);
    return found;
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
  }

  /** The page's three reads, answered; card top-up on unless `cardOff`. */
  async function open(options: { cardOff?: boolean; orders?: PaymentOrderView[] } = {}): Promise<void> {
    (await request('/api/credits')).flush(credits(1000));
    const packages = await request('/api/billing/packages');
    const orders = await request('/api/billing/orders');
    if (options.cardOff) {
      const notFound = error(404, ErrorCode.NotFound, 'Not found');
      packages.flush(notFound, { status: 404, statusText: 'Not Found' });
      orders.flush(notFound, { status: 404, statusText: 'Not Found' });
    } else {
      packages.flush({ items: [starter], nextCursor: null } satisfies ListResponse<CreditPackageView>);
      orders.flush({ items: options.orders ?? [], nextCursor: null } satisfies ListResponse<PaymentOrderView>);
    }
    await settle();
  }

  async function redeem(code: string): Promise<TestRequest> {
    const input = byTestId('redeem-code') as HTMLInputElement;
    input.value = code;
    input.dispatchEvent(new Event('input'));
    byTestId('redeem-submit')?.click();
    return request('/api/credits/redeem', 'POST');
  }

  beforeEach(() => {
    location = { assign: vi.fn() };
    TestBed.configureTestingModule({
      imports: [TopUpPage],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: BrowserLocation, useValue: location },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TopUpPage);
    fixture.detectChanges();
  });

  afterEach(() => {
    backend.verify();
  });

  it('redeems a code, says how many credits it added, and shows the new balance', async () => {
    await open();

    const sent = await redeem('  cg-abcd-efgh-ijkl  ');
    expect(sent.request.body).toEqual({ code: 'cg-abcd-efgh-ijkl' });
    sent.flush({ credited: 500, balance: 1500 });
    (await request('/api/credits')).flush(credits(1500));
    await settle();

    expect(text('redeem-result')).toBe('500 credits added. Your balance is now 1,500.');
    expect(text('top-up-balance')).toBe('Balance: 1,500 credits');
    expect((byTestId('redeem-code') as HTMLInputElement).value).toBe('');
  });

  it.each([
    [409, ErrorCode.CodeAlreadyRedeemed, 'This code has already been redeemed.'],
    [410, ErrorCode.CodeExpired, 'This code has expired.'],
    [404, ErrorCode.NotFound, 'This code does not exist or was revoked. Check it for typos.'],
  ])('says why a code was refused (%s %s)', async (status, code, message) => {
    await open();

    (await redeem('CG-0000-0000')).flush(error(status, code, 'refused'), { status, statusText: 'Refused' });
    await vi.waitFor(async () => {
      await settle();
      expect(text('redeem-error')).toBe(message);
    });
    expect(byTestId('redeem-result')).toBeNull();
  });

  it('shows only the redeem form while card top-up is off (the billing API answers 404)', async () => {
    await open({ cardOff: true });

    expect(byTestId('redeem-code')).not.toBeNull();
    expect(element().textContent).not.toContain('Buy credits with a card');
    expect(byTestId('packages')).toBeNull();
    expect(byTestId('orders-table')).toBeNull();
    expect(element().querySelector('[role="alert"]')).toBeNull();
  });

  it('offers the packages and sends the browser to Stripe Checkout for the one chosen', async () => {
    await open({ orders: [pendingOrder] });

    expect(text('packages')).toContain('Starter');
    expect(text('packages')).toContain('10,000 credits');
    expect(text('packages')).toContain('$9.99');
    expect(text('order-status')).toBe('Pending');
    element().querySelector<HTMLButtonElement>('button[aria-label="Pay with card: Starter"]')?.click();
    const checkout = await request('/api/billing/checkout', 'POST');
    expect(checkout.request.body).toEqual({ packageId: starter.id });
    checkout.flush({ orderId: pendingOrder.id, url: 'https://checkout.stripe.test/c/pay/cs_test_1' });
    await settle();

    expect(location.assign).toHaveBeenCalledWith('https://checkout.stripe.test/c/pay/cs_test_1');
  });

  it('tells a user back from a cancelled Checkout that nothing was charged', async () => {
    fixture.componentRef.setInput('checkout', 'cancelled');
    await open();

    expect(text('checkout-return')).toBe('Checkout cancelled. Nothing was charged.');
  });
});
