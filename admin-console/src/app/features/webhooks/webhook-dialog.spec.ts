import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { type CreatedWebhook, ErrorCode, WEBHOOK_EVENT_TYPES } from '@creditgate/contract';
import { apiInterceptor } from '@app/core/api.interceptor';
import { createWebhookRequest, WebhookDialog } from '@app/features/webhooks/webhook-dialog';

const SECRET = 'whsec_3f9a1c0e7b2d48a6b1f0c2d9e8a7b6c5';

const created: CreatedWebhook = {
  id: '00000000-0000-4000-8000-000000000001',
  url: 'https://hooks.example.test/creditgate',
  events: ['credits.low', 'channel.down'],
  description: 'On-call pager',
  createdAt: '2026-12-06T10:00:00.000Z',
  deliveries: { pending: 0, delivered: 0, failed: 0 },
  secret: SECRET,
};

describe('createWebhookRequest', () => {
  it("sends the chosen events in the contract's order, a trimmed URL and no blank description", () => {
    const only = (...types: string[]) => WEBHOOK_EVENT_TYPES.map((type) => types.includes(type));
    expect(
      createWebhookRequest({
        url: ' https://hooks.example.test/a ',
        events: only('channel.up', 'credits.low'),
        description: '   ',
      }),
    ).toEqual({ url: 'https://hooks.example.test/a', events: ['credits.low', 'channel.up'] });
    expect(
      createWebhookRequest({
        url: 'http://10.0.0.5/h',
        events: only('credits.added'),
        description: ' ops ',
      }),
    ).toEqual({ url: 'http://10.0.0.5/h', events: ['credits.added'], description: 'ops' });
  });
});

describe('WebhookDialog', () => {
  let fixture: ComponentFixture<WebhookDialog>;
  let backend: HttpTestingController;
  let dialogRef: { close: ReturnType<typeof vi.fn>; disableClose: boolean | undefined };
  let copy: ReturnType<typeof vi.fn>;

  const element = () => fixture.nativeElement as HTMLElement;
  const find = (id: string): HTMLElement => {
    const found = element().querySelector<HTMLElement>(`[data-testid="${id}"]`);
    if (!found) throw new Error(`no ${id}`);
    return found;
  };

  async function type(id: string, value: string): Promise<void> {
    const input = find(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function check(type: string): Promise<void> {
    find(`webhook-event-${type}`).querySelector('input')?.click();
    await fixture.whenStable();
  }

  async function press(id: string): Promise<void> {
    find(id).click();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    dialogRef = { close: vi.fn(), disableClose: undefined };
    copy = vi.fn(() => true);
    TestBed.configureTestingModule({
      imports: [WebhookDialog],
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MatDialogRef, useValue: dialogRef },
        { provide: Clipboard, useValue: { copy } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(WebhookDialog);
    await fixture.whenStable();
  });

  afterEach(() => {
    backend.verify();
  });

  it('registers the endpoint, then shows its secret once, copies it, and closes without it', async () => {
    // Every event the contract has is on offer, each explained.
    const offered = Array.from(element().querySelectorAll('[data-testid^="webhook-event-"] .event-name'), (name) =>
      name.textContent.trim(),
    );
    expect(offered).toEqual([...WEBHOOK_EVENT_TYPES]);

    await type('webhook-url', 'https://hooks.example.test/creditgate');
    await check('channel.down');
    await check('credits.low');
    await type('webhook-description', 'On-call pager');
    await press('webhook-save');

    const sent = backend.expectOne('/api/admin/webhooks');
    expect(sent.request.method).toBe('POST');
    expect(sent.request.body).toEqual({
      url: 'https://hooks.example.test/creditgate',
      events: ['credits.low', 'channel.down'],
      description: 'On-call pager',
    });
    sent.flush(created, { status: 201, statusText: 'Created' });
    await fixture.whenStable();

    expect(find('webhook-secret').textContent.trim()).toBe(SECRET);
    expect(element().textContent).toContain('you will not see it again');
    // The only copy of the secret: a stray click outside or Escape must not close the dialog now.
    expect(dialogRef.disableClose).toBe(true);
    expect(dialogRef.close).not.toHaveBeenCalled();

    await press('webhook-copy-secret');
    expect(copy).toHaveBeenCalledWith(SECRET);
    expect(find('webhook-copy-secret').textContent).toContain('Copied');

    await press('webhook-secret-done');
    expect(dialogRef.close).toHaveBeenCalledTimes(1);
    const closedWith: unknown = dialogRef.close.mock.calls[0]?.[0];
    expect(closedWith).toEqual({
      id: created.id,
      url: created.url,
      events: created.events,
      description: created.description,
      createdAt: created.createdAt,
      deliveries: created.deliveries,
    });
    expect(JSON.stringify(closedWith)).not.toContain(SECRET);
    expect(element().innerHTML).not.toContain(SECRET);
  });

  it('refuses a URL that is not http(s) and an endpoint with no event, sending nothing', async () => {
    await type('webhook-url', 'ftp://hooks.example.test/creditgate');
    await press('webhook-save');

    const errors = Array.from(element().querySelectorAll('mat-error'), (error) => error.textContent.trim());
    expect(errors).toEqual(['An http:// or https:// address.', 'Choose at least one event.']);
    backend.expectNone('/api/admin/webhooks');

    await type('webhook-url', 'http://127.0.0.1:9000/hooks');
    await check('credits.added');
    await press('webhook-save');
    backend.expectOne('/api/admin/webhooks').flush({ ...created, events: ['credits.added'] });
  });

  it("shows the server's refusal, keeps the form and shows no secret", async () => {
    await type('webhook-url', 'https://user:pw@hooks.example.test/');
    await check('credits.low');
    await press('webhook-save');
    backend.expectOne('/api/admin/webhooks').flush(
      {
        statusCode: 400,
        code: ErrorCode.ValidationFailed,
        message: 'The request is not valid.',
        requestId: 'r1',
        details: [{ field: 'url', messages: ['url must be an http(s) URL without a user name or password'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(find('webhook-error').textContent).toContain('without a user name or password');
    });
    expect(element().querySelector('[data-testid="webhook-secret"]')).toBeNull();
    expect((find('webhook-url') as HTMLInputElement).value).toBe('https://user:pw@hooks.example.test/');
    expect(dialogRef.close).not.toHaveBeenCalled();
    expect(dialogRef.disableClose).toBeUndefined();
  });
});
