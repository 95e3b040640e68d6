import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  ApiKeyView,
  CheckoutResponse,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreditPackageView,
  CreditsView,
  LedgerItem,
  ListResponse,
  ModelView,
  PageQuery,
  PaymentOrderView,
  RedeemCodeResponse,
  StatsQuery,
  UpdateApiKeyRequest,
  UsageItem,
  UsageQuery,
  UsageStatsResponse,
} from '@creditgate/contract';
import { map, type Observable } from 'rxjs';
import { queryParams } from '@app/core/admin-api';

const keyUrl = (id: string): string => `/api/keys/${encodeURIComponent(id)}`;

/** The file name the server chose (`Content-Disposition`), or a sensible one. */
function attachmentName(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback;
}

/**
 * The signed-in user's own API, for the account pages: credits, ledger, usage, keys and top-up.
 * Every call is the caller's own (the API reads the user from the token), so the same pages serve an
 * admin who switched to their own view. Reads are resources driven by signals, writes observables, as
 * in `AdminApi`.
 */
@Injectable({ providedIn: 'root' })
export class UserApi {
  private readonly http = inject(HttpClient);

  credits(): HttpResourceRef<CreditsView | undefined> {
    return httpResource(() => '/api/credits');
  }

  ledger(query: () => PageQuery): HttpResourceRef<ListResponse<LedgerItem> | undefined> {
    return httpResource(() => ({ url: '/api/credits/ledger', params: queryParams(query()) }));
  }

  usage(query: () => UsageQuery): HttpResourceRef<ListResponse<UsageItem> | undefined> {
    return httpResource(() => ({ url: '/api/usage', params: queryParams(query()) }));
  }

  /** Per-UTC-day figures and totals of the caller's usage over a range. */
  usageStats(query: () => StatsQuery): HttpResourceRef<UsageStatsResponse | undefined> {
    return httpResource(() => ({ url: '/api/usage/stats', params: queryParams(query()) }));
  }

  /** The models the caller may use: the choices of a key's model list. */
  models(): HttpResourceRef<ListResponse<ModelView> | undefined> {
    return httpResource(() => '/api/ai/models');
  }

  keys(): HttpResourceRef<ListResponse<ApiKeyView> | undefined> {
    return httpResource(() => '/api/keys');
  }

  /** Active credit packages; the API answers 404 while card top-up is off. */
  packages(): HttpResourceRef<ListResponse<CreditPackageView> | undefined> {
    return httpResource(() => '/api/billing/packages');
  }

  /** The caller's card orders, newest first; 404 while card top-up is off. */
  orders(): HttpResourceRef<ListResponse<PaymentOrderView> | undefined> {
    return httpResource(() => '/api/billing/orders');
  }

  /** The answer carries the key's secret, this once: the caller shows it and keeps it nowhere. */
  createKey(request: CreateApiKeyRequest): Observable<CreatedApiKey> {
    return this.http.post<CreatedApiKey>('/api/keys', request);
  }

  /** A field left out is kept, a limit given as null is removed (docs/limits.md). */
  updateKey(id: string, change: UpdateApiKeyRequest): Observable<ApiKeyView> {
    return this.http.patch<ApiKeyView>(keyUrl(id), change);
  }

  /** 204: nothing to read back. */
  revokeKey(id: string): Observable<void> {
    return this.http.delete(keyUrl(id)).pipe(map(() => undefined));
  }

  redeem(code: string): Observable<RedeemCodeResponse> {
    return this.http.post<RedeemCodeResponse>('/api/credits/redeem', { code });
  }

  /** A pending order and Stripe's Checkout page for it: the caller sends the browser to `url`. */
  checkout(packageId: string): Observable<CheckoutResponse> {
    return this.http.post<CheckoutResponse>('/api/billing/checkout', { packageId });
  }

  exportUsage(query: UsageQuery): Observable<{ file: Blob; name: string }> {
    return this.http
      .get('/api/usage/export', { params: queryParams(query), responseType: 'blob', observe: 'response' })
      .pipe(
        map((response) => ({
          file: response.body ?? new Blob([], { type: 'text/csv' }),
          name: attachmentName(response.headers.get('Content-Disposition'), 'usage.csv'),
        })),
      );
  }
}
