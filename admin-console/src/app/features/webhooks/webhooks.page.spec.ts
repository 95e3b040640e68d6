import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ErrorCode, type ListResponse, type WebhookDeliveryView, type WebhookEndpointView } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { WebhooksPage } from '@app/features/webhooks/webhooks.page';

const endpoint = (index: number, overrides: Partial<WebhookEndpointView> = {}): WebhookEndpointView => ({
  id: `00000000-0000-4000-8000-00000000000${String(index)}`,
  url: `https://hooks-${String(index)}.example.test/creditgate`,
  events: ['credits.low', 'channel.down'],
  description: null,
  createdAt: '2026-12-06T10:00:00.000Z',
  deliveries: { pending: 0, delivered: 0, failed: 0 },
  ...overrides,
});

const delivery = (id: string, overrides: Partial<WebhookDeliveryView> = {}): WebhookDeliveryView => ({
  id,
  eventId: `10000000-0000-4000-8000-00000000000${id}`,
  eventType: 'webhook.test',
  eventCreatedAt: '2026-12-06T10:01:00.000Z',
  status: 'delivered',
  attempts: 1,
  nextAttemptAt: null,
  lastAttemptAt: '2026-12-06T10:01:01.000Z',
  lastStatusCode: 200,
  lastError: null,
  deliveredAt: '2026-12-06T10:01:01.000Z',
  ...overrides,
});

const ops = endpoint(1, {
  description: 'On-call pager',
  events: ['credits.low', 'budget.threshold', 'channel.down'],
  deliveries: { pending: 1, delivered: 12, failed: 2 },
});
const finance = endpoint(2, { events: ['credits.added'] });

const delivered = delivery('3');
const retrying = delivery('2', {
  eventType: 'channel.down',
  status: 'pending',
  attempts: 2,
  nextAttemptAt: '2026-12-06T10:02:10.000Z',
  lastStatusCode: 500,
  lastError: 'The receiver answered 500',
  deliveredAt: null,
});
const gaveUp = delivery('1', {
  eventType: 'credits.low',
  status: 'failed',
  attempts: 14,
  lastStatusCode: null,
  lastError: 'No answer within 10000 ms',
  deliveredAt: null,
});

describe('WebhooksPage', () => {
  let fixture: ComponentFixture<WebhooksPage>;
  let backend: HttpTestingController;
  const element = () => fixture.nativeElement as HTMLElement;

  const rowOf = (url: string): HTMLElement => {
    const found = element().querySelector<HTMLElement>(`tr[data-webhook="${url}"]`);
    if (!found) throw new Error(`no row for ${url}`);
    return found;
  };
  const deliveryRow = (id: string): HTMLElement => {
    const found = element().querySelector<HTMLElement>(`tr[data-delivery="${id}"]`);
    if (!found) throw new Error(`no delivery ${id}`);
    return found;
  };
  const text = (within: HTMLElement, id: string) =>
    within.querySelector(`[data-testid="${id}"]`)?.textContent.replace(/\s+/g, ' ').trim();
  const pills = (within: HTMLElement) =>
    Array.from(within.querySelectorAll('[data-testid="webhook-events-cell"] .pill'), (pill) => pill.textContent.trim());
  const click = (within: Element | null, id: string) => {
    const button = within?.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`);
    if (!button) throw new Error(`no ${id}`);
    button.click();
  };

  /** The page's next request, once made (resources and subscriptions are async). */
  async function nextRequest(method: string, url: string): Promise<TestRequest> {
    let found: TestRequest | undefined;
    await vi.waitFor(() => {
      TestBed.tick();
      found = backend.expectOne((request) => request.method === method && request.url === url);
    });
    if (!found) throw new Error(`no ${method} ${url}`);
    return found;
  }

  async function answerList(endpoints: WebhookEndpointView[]): Promise<void> {
    (await nextRequest('GET', '/api/admin/webhooks')).flush(endpoints);
    await fixture.whenStable();
  }

  async function answerDeliveries(of: WebhookEndpointView, items: WebhookDeliveryView[]): Promise<TestRequest> {
    const request = await nextRequest('GET', `/api/admin/webhooks/${of.id}/deliveries`);
    request.flush({ items, nextCursor: null } satisfies ListResponse<WebhookDeliveryView>);
    await fixture.whenStable();
    return request;
  }

  /** Not whenStable(): it would wait for the reloads the action started, still unanswered here. */
  /** An action's reload of both lists: both are answered before the page can settle. */
  async function answerBoth(
    endpoints: WebhookEndpointView[],
    of: WebhookEndpointView,
    items: WebhookDeliveryView[],
  ): Promise<void> {
    const list = await nextRequest('GET', '/api/admin/webhooks');
    const deliveries = await nextRequest('GET', `/api/admin/webhooks/${of.id}/deliveries`);
    list.flush(endpoints);
    deliveries.flush({ items, nextCursor: null } satisfies ListResponse<WebhookDeliveryView>);
    await fixture.whenStable();
  }

  const counts = (within: HTMLElement) => ({
    pending: text(within, 'webhook-pending'),
    delivered: text(within, 'webhook-delivered'),
    failed: text(within, 'webhook-failed'),
  });

  async function snackBarSays(message: string): Promise<void> {
    await vi.waitFor(() => {
      TestBed.tick();
      expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain(message);
    });
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [WebhooksPage],
      providers: [provideHttpClient(withInterceptors([apiInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(WebhooksPage);
    fixture.detectChanges();
  });

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((container) => {
      container.remove();
    });
  });

  it('lists each endpoint with its events, description and delivery counts, and asks for no deliveries yet', async () => {
    await answerList([ops, finance]);

    expect(text(rowOf(ops.url), 'webhook-url-cell')).toBe(ops.url);
    expect(text(rowOf(ops.url), 'webhook-description-cell')).toBe('On-call pager');
    expect(pills(rowOf(ops.url))).toEqual(['credits.low', 'budget.threshold', 'channel.down']);
    expect(counts(rowOf(ops.url))).toEqual({ pending: '1', delivered: '12', failed: '2' });
    expect(pills(rowOf(finance.url))).toEqual(['credits.added']);
    expect(rowOf(finance.url).querySelector('[data-testid="webhook-description-cell"]')).toBeNull();
    expect(element().querySelector('[data-testid="webhook-deliveries"]')).toBeNull();
    backend.expectNone((request) => request.url.includes('/deliveries'));
  });

  it('says how to start when there is no endpoint', async () => {
    await answerList([]);
    expect(element().textContent).toContain('No endpoints yet');
    expect(element().querySelector('[data-testid="webhooks-table"]')).toBeNull();
  });

  it("shows a chosen endpoint's deliveries: status, attempts, next attempt, last answer and error; retry only where undelivered", async () => {
    await answerList([ops, finance]);
    click(rowOf(ops.url), 'webhook-select');
    const asked = await answerDeliveries(ops, [delivered, retrying, gaveUp]);
    expect(asked.request.params.get('limit')).toBe('20');
    expect(asked.request.params.has('cursor')).toBe(false);

    expect(rowOf(ops.url).classList).toContain('selected');
    expect(text(element(), 'webhook-deliveries')).toContain(`Deliveries to ${ops.url}`);

    expect(text(deliveryRow('3'), 'delivery-event')).toBe('webhook.test');
    expect(text(deliveryRow('3'), 'delivery-status')).toBe('Delivered');
    expect(text(deliveryRow('3'), 'delivery-attempts')).toBe('1');
    expect(text(deliveryRow('3'), 'delivery-next-attempt')).toBe('—');
    expect(text(deliveryRow('3'), 'delivery-last-answer')).toMatch(/^HTTP 200 /);
    expect(text(deliveryRow('3'), 'delivery-last-error')).toBe('—');
    expect(text(deliveryRow('3'), 'delivery-delivered-at')).not.toBe('—');
    expect(deliveryRow('3').querySelector('[data-testid="delivery-retry"]')).toBeNull();

    expect(text(deliveryRow('2'), 'delivery-status')).toBe('Pending');
    expect(text(deliveryRow('2'), 'delivery-attempts')).toBe('2');
    expect(text(deliveryRow('2'), 'delivery-next-attempt')).not.toBe('—');
    expect(text(deliveryRow('2'), 'delivery-last-answer')).toMatch(/^HTTP 500 /);
    expect(text(deliveryRow('2'), 'delivery-last-error')).toBe('The receiver answered 500');
    expect(text(deliveryRow('2'), 'delivery-delivered-at')).toBe('—');
    expect(text(deliveryRow('2'), 'delivery-retry')).toBe('Retry now');

    expect(text(deliveryRow('1'), 'delivery-status')).toBe('Failed');
    expect(text(deliveryRow('1'), 'delivery-last-answer')).toMatch(/^no answer /);
    expect(text(deliveryRow('1'), 'delivery-last-error')).toBe('No answer within 10000 ms');
    expect(text(deliveryRow('1'), 'delivery-retry')).toBe('Retry now');

    // Another endpoint: its own deliveries.
    click(rowOf(finance.url), 'webhook-select');
    await answerDeliveries(finance, []);
    expect(text(element(), 'webhook-deliveries')).toContain('No deliveries yet');
  });

  it('retries an undelivered delivery now and shows the lists again', async () => {
    await answerList([ops]);
    click(rowOf(ops.url), 'webhook-select');
    await answerDeliveries(ops, [retrying]);

    click(deliveryRow('2'), 'delivery-retry');
    const retry = await nextRequest('POST', `/api/admin/webhooks/${ops.id}/deliveries/2/retry`);
    retry.flush(null, { status: 202, statusText: 'Accepted' });
    await snackBarSays('channel.down will be sent again now.');
    await answerBoth([{ ...ops, deliveries: { pending: 0, delivered: 13, failed: 2 } }], ops, [
      { ...retrying, status: 'delivered', attempts: 3, lastStatusCode: 200 },
    ]);

    expect(counts(rowOf(ops.url))).toEqual({ pending: '0', delivered: '13', failed: '2' });
    expect(text(deliveryRow('2'), 'delivery-status')).toBe('Delivered');
    expect(deliveryRow('2').querySelector('[data-testid="delivery-retry"]')).toBeNull();
  });

  it("says why a retry was refused and keeps the row's button usable", async () => {
    await answerList([ops]);
    click(rowOf(ops.url), 'webhook-select');
    await answerDeliveries(ops, [gaveUp]);

    click(deliveryRow('1'), 'delivery-retry');
    (await nextRequest('POST', `/api/admin/webhooks/${ops.id}/deliveries/1/retry`)).flush(
      { statusCode: 404, code: ErrorCode.NotFound, message: 'No such delivery', requestId: 'r1' },
      { status: 404, statusText: 'Not Found' },
    );
    await snackBarSays('Not found: it may have been removed.');
    expect(deliveryRow('1').querySelector<HTMLButtonElement>('[data-testid="delivery-retry"]')?.disabled).toBe(false);
  });

  it("sends a test event and opens that endpoint's deliveries, the new one first", async () => {
    await answerList([ops, finance]);

    click(rowOf(finance.url), 'webhook-test');
    const test = await nextRequest('POST', `/api/admin/webhooks/${finance.id}/test`);
    expect(test.request.body).toEqual({});
    test.flush({ eventId: '20000000-0000-4000-8000-000000000001' }, { status: 202, statusText: 'Accepted' });
    await snackBarSays(`Test event queued for ${finance.url}.`);
    await answerBoth([ops, { ...finance, deliveries: { pending: 1, delivered: 0, failed: 0 } }], finance, [
      delivery('9', { status: 'pending', attempts: 0, lastAttemptAt: null, lastStatusCode: null, deliveredAt: null }),
    ]);

    expect(rowOf(finance.url).classList).toContain('selected');
    expect(text(deliveryRow('9'), 'delivery-status')).toBe('Pending');
    expect(text(deliveryRow('9'), 'delivery-last-answer')).toBe('—');
  });

  it('deletes an endpoint after a confirmation, and its deliveries go with it', async () => {
    await answerList([ops, finance]);
    click(rowOf(ops.url), 'webhook-select');
    await answerDeliveries(ops, [delivered]);

    click(rowOf(ops.url), 'webhook-delete');
    await fixture.whenStable();
    expect(document.querySelector('mat-dialog-container')?.textContent).toContain(`Delete the endpoint ${ops.url}?`);
    backend.expectNone({ method: 'DELETE', url: `/api/admin/webhooks/${ops.id}` });
    click(document.querySelector('mat-dialog-container'), 'confirm');

    const deleted = await nextRequest('DELETE', `/api/admin/webhooks/${ops.id}`);
    deleted.flush(null, { status: 204, statusText: 'No Content' });
    await snackBarSays(`Endpoint ${ops.url} deleted.`);
    await answerList([finance]);

    expect(element().querySelector(`tr[data-webhook="${ops.url}"]`)).toBeNull();
    expect(element().querySelector('[data-testid="webhook-deliveries"]')).toBeNull();
  });

  it('deletes nothing when the confirmation is cancelled', async () => {
    await answerList([ops]);
    click(rowOf(ops.url), 'webhook-delete');
    await fixture.whenStable();
    Array.from(document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button'))
      .find((button) => button.textContent.trim() === 'Cancel')
      ?.click();
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(document.querySelector('mat-dialog-container')).toBeNull();
    });
    backend.expectNone({ method: 'DELETE', url: `/api/admin/webhooks/${ops.id}` });
    expect(rowOf(ops.url)).toBeTruthy();
  });
});
