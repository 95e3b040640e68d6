import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AdminCreditPackageView,
  CreateCreditPackageRequest,
  CreatedRedemptionCodes,
  CreateRedemptionCodesRequest,
  ListResponse,
  PageQuery,
  RedemptionBatchView,
  UpdateCreditPackageRequest,
} from '@creditgate/contract';
import type { Observable } from 'rxjs';
import { queryParams } from '@app/core/admin-api';

const CODES_URL = '/api/admin/redemption-codes';
const PACKAGES_URL = '/api/admin/billing/packages';

/**
 * The admin side of top-up (docs/top-up.md): batches of redemption codes and the credit packages
 * offered for card payment. Every change is verified and audited by the database.
 */
@Injectable({ providedIn: 'root' })
export class TopUpAdminApi {
  private readonly http = inject(HttpClient);

  /** Batches, newest first, with their redeemed / unused / revoked counts; never a code. */
  batches(query: () => PageQuery): HttpResourceRef<ListResponse<RedemptionBatchView> | undefined> {
    return httpResource(() => ({ url: CODES_URL, params: queryParams(query()) }));
  }

  /** Every package, archived ones too. */
  packages(): HttpResourceRef<ListResponse<AdminCreditPackageView> | undefined> {
    return httpResource(() => PACKAGES_URL);
  }

  /** The answer holds the batch's codes, this once: they are stored only as hashes. */
  createBatch(request: CreateRedemptionCodesRequest): Observable<CreatedRedemptionCodes> {
    return this.http.post<CreatedRedemptionCodes>(CODES_URL, request);
  }

  /** Revokes the batch's unused codes; answers the batch as it is now. */
  revokeBatch(batchId: string): Observable<RedemptionBatchView> {
    return this.http.delete<RedemptionBatchView>(`${CODES_URL}/${encodeURIComponent(batchId)}`);
  }

  createPackage(request: CreateCreditPackageRequest): Observable<AdminCreditPackageView> {
    return this.http.post<AdminCreditPackageView>(PACKAGES_URL, request);
  }

  /** `active: true` restores an archived package. */
  updatePackage(id: string, change: UpdateCreditPackageRequest): Observable<AdminCreditPackageView> {
    return this.http.patch<AdminCreditPackageView>(`${PACKAGES_URL}/${encodeURIComponent(id)}`, change);
  }

  /** Archives: no longer offered; orders still name it. */
  archivePackage(id: string): Observable<AdminCreditPackageView> {
    return this.http.delete<AdminCreditPackageView>(`${PACKAGES_URL}/${encodeURIComponent(id)}`);
  }
}
