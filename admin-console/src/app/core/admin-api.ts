import { HttpClient, HttpHeaders, httpResource, type HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  type AdminModel,
  type AdminUpdateApiKeyRequest,
  type AdminUsageItem,
  type AdminUsageQuery,
  type AdminUserDetail,
  type AdminUserItem,
  type ApiKeyView,
  type AuditItem,
  type AuditQuery,
  type ChannelTestResult,
  type ChannelView,
  type ChatResponse,
  type CreateChannelRequest,
  type CreatedWebhook,
  type CreateWebhookRequest,
  type DemoLabChatRequest,
  HttpHeader,
  type ListResponse,
  type ModelView,
  type PeakHours,
  type RechargeRequest,
  type RechargeResponse,
  type StatsQuery,
  type StatsResponse,
  type UpdateChannelRequest,
  type UpdateModelPriceRequest,
  type UpdatePeakHoursRequest,
  type UpdateUserAccessRequest,
  type UserSearchQuery,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '@creditgate/contract';
import { map, type Observable } from 'rxjs';

type QueryValue = string | number | boolean | undefined;

/** Query parameters without the unset ones (an empty filter is no filter). */
export function queryParams(query: object): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(query as Record<string, QueryValue>).filter(
      (entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

const PEAK_HOURS_URL = '/api/admin/pricing/peak-hours';

const userUrl = (id: string): string => `/api/admin/users/${encodeURIComponent(id)}`;

const CHANNELS_URL = '/api/admin/channels';

const channelUrl = (id: string): string => `${CHANNELS_URL}/${encodeURIComponent(id)}`;

const WEBHOOKS_URL = '/api/admin/webhooks';

const webhookUrl = (id: string): string => `${WEBHOOKS_URL}/${encodeURIComponent(id)}`;

/** One page of an endpoint's deliveries. */
export interface WebhookDeliveriesQuery {
  endpointId: string;
  limit: number;
  cursor?: string;
}

/** The file name the server chose (`Content-Disposition`), or a sensible one. */
function attachmentName(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback;
}

/**
 * Every admin API call the console makes, typed by the shared contract. Reads are signal-driven
 * resources (they reload when their query changes); writes are observables the pages subscribe to.
 * Resources must be created in an injection context, as page fields are.
 */
@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  users(query: () => UserSearchQuery): HttpResourceRef<ListResponse<AdminUserItem> | undefined> {
    return httpResource(() => ({ url: '/api/admin/users', params: queryParams(query()) }));
  }

  user(id: () => string | undefined): HttpResourceRef<AdminUserDetail | undefined> {
    return httpResource(() => {
      const userId = id();
      return userId === undefined ? undefined : userUrl(userId);
    });
  }

  usage(query: () => AdminUsageQuery | undefined): HttpResourceRef<ListResponse<AdminUsageItem> | undefined> {
    return httpResource(() => {
      const current = query();
      return current === undefined ? undefined : { url: '/api/admin/usage', params: queryParams(current) };
    });
  }

  stats(query: () => StatsQuery): HttpResourceRef<StatsResponse | undefined> {
    return httpResource(() => ({ url: '/api/admin/stats', params: queryParams(query()) }));
  }

  models(): HttpResourceRef<ListResponse<AdminModel> | undefined> {
    return httpResource(() => '/api/admin/models');
  }

  /** The hours priced at the peak rates (docs/pricing.md). */
  peakHours(): HttpResourceRef<PeakHours | undefined> {
    return httpResource(() => PEAK_HOURS_URL);
  }

  audit(query: () => AuditQuery): HttpResourceRef<ListResponse<AuditItem> | undefined> {
    return httpResource(() => ({ url: '/api/admin/audit', params: queryParams(query()) }));
  }

  /** The upstream channels, by priority then name, with this instance's health and last-hour figures. */
  channels(): HttpResourceRef<ChannelView[] | undefined> {
    return httpResource(() => CHANNELS_URL);
  }

  /** The webhook endpoints with their delivery counts; never a secret. */
  webhooks(): HttpResourceRef<WebhookEndpointView[] | undefined> {
    return httpResource(() => WEBHOOKS_URL);
  }

  /** An endpoint's deliveries, newest first; nothing is asked while no endpoint is chosen. */
  webhookDeliveries(
    query: () => WebhookDeliveriesQuery | undefined,
  ): HttpResourceRef<ListResponse<WebhookDeliveryView> | undefined> {
    return httpResource(() => {
      const current = query();
      if (current === undefined) return undefined;
      const { endpointId, ...page } = current;
      return { url: `${webhookUrl(endpointId)}/deliveries`, params: queryParams(page) };
    });
  }

  /** The models a chat may use now (in demo mode: the demo models). */
  chatModels(): HttpResourceRef<ListResponse<ModelView> | undefined> {
    return httpResource(() => '/api/ai/models');
  }

  userDetail(id: string): Observable<AdminUserDetail> {
    return this.http.get<AdminUserDetail>(userUrl(id));
  }

  usagePage(query: AdminUsageQuery): Observable<ListResponse<AdminUsageItem>> {
    return this.http.get<ListResponse<AdminUsageItem>>('/api/admin/usage', { params: queryParams(query) });
  }

  searchUsers(search: string): Observable<AdminUserItem[]> {
    return this.http
      .get<ListResponse<AdminUserItem>>('/api/admin/users', { params: queryParams({ search, limit: 8 }) })
      .pipe(map((page) => page.items));
  }

  /** `idempotencyKey` is made once per recharge the admin means, so a double submit adds once. */
  recharge(request: RechargeRequest, idempotencyKey: string): Observable<RechargeResponse> {
    return this.http.post<RechargeResponse>('/api/admin/recharge', request, {
      headers: new HttpHeaders({ [HttpHeader.IdempotencyKey]: idempotencyKey }),
    });
  }

  /** Role, disabled flag and spend limit (`spendLimit: null` removes it), those given. */
  updateAccess(userId: string, change: UpdateUserAccessRequest): Observable<AdminUserDetail> {
    return this.http.patch<AdminUserDetail>(userUrl(userId), change);
  }

  /** A key's limits: a field left out is kept, null removes it (docs/limits.md). */
  updateUserApiKey(userId: string, keyId: string, change: AdminUpdateApiKeyRequest): Observable<ApiKeyView> {
    return this.http.patch<ApiKeyView>(`${userUrl(userId)}/keys/${encodeURIComponent(keyId)}`, change);
  }

  /** Answers 204, no body. */
  revokeUserApiKey(userId: string, keyId: string): Observable<null> {
    return this.http.delete<null>(`${userUrl(userId)}/keys/${encodeURIComponent(keyId)}`);
  }

  updatePrice(model: string, price: UpdateModelPriceRequest): Observable<AdminModel> {
    return this.http.put<AdminModel>(`/api/admin/models/${encodeURIComponent(model)}`, price);
  }

  setPeakHours(change: UpdatePeakHoursRequest): Observable<PeakHours> {
    return this.http.put<PeakHours>(PEAK_HOURS_URL, change);
  }

  /** The key travels once, in this body; the answer carries only its last four characters. */
  createChannel(request: CreateChannelRequest): Observable<ChannelView> {
    return this.http.post<ChannelView>(CHANNELS_URL, request);
  }

  updateChannel(id: string, change: UpdateChannelRequest): Observable<ChannelView> {
    return this.http.patch<ChannelView>(channelUrl(id), change);
  }

  /** 204: nothing to read back. */
  deleteChannel(id: string): Observable<void> {
    return this.http.delete(channelUrl(id)).pipe(map(() => undefined));
  }

  /** One small real completion through the channel, charged to no user. */
  testChannel(id: string): Observable<ChannelTestResult> {
    return this.http.post<ChannelTestResult>(`${channelUrl(id)}/test`, {});
  }

  /** The answer carries the signing secret, this once: the caller shows it and keeps it nowhere. */
  createWebhook(request: CreateWebhookRequest): Observable<CreatedWebhook> {
    return this.http.post<CreatedWebhook>(WEBHOOKS_URL, request);
  }

  /** 204: nothing to read back. */
  deleteWebhook(id: string): Observable<void> {
    return this.http.delete(webhookUrl(id)).pipe(map(() => undefined));
  }

  /** Queues a `webhook.test` event for this endpoint only (202). */
  sendTestWebhook(id: string): Observable<{ eventId: string }> {
    return this.http.post<{ eventId: string }>(`${webhookUrl(id)}/test`, {});
  }

  /** Makes an undelivered delivery due now (202, no body). */
  retryWebhookDelivery(endpointId: string, deliveryId: string): Observable<void> {
    return this.http
      .post(`${webhookUrl(endpointId)}/deliveries/${encodeURIComponent(deliveryId)}/retry`, {})
      .pipe(map(() => undefined));
  }

  demoChat(request: DemoLabChatRequest): Observable<ChatResponse> {
    return this.http.post<ChatResponse>('/api/admin/demo-lab/chat', request);
  }

  exportUsage(query: AdminUsageQuery): Observable<{ file: Blob; name: string }> {
    return this.http
      .get('/api/admin/usage/export', { params: queryParams(query), responseType: 'blob', observe: 'response' })
      .pipe(
        map((response) => ({
          file: response.body ?? new Blob([], { type: 'text/csv' }),
          name: attachmentName(response.headers.get('Content-Disposition'), 'usage.csv'),
        })),
      );
  }
}
