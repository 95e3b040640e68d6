import { Injectable } from '@nestjs/common';
import { AdminModelsRepository } from '#src/admin/admin-models.repository.js';
import { ModelPriceCache } from '#src/ai/model-price.cache.js';
import { PeakHoursCache } from '#src/pricing/peak-hours.cache.js';
import type { AuditQueryDto, UpdateModelPriceDto } from '#src/admin/dto/admin-reports.dto.js';
import { AdminErrors, adminErrorFor } from '#src/admin/admin.errors.js';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '#src/common/pagination.js';
import { type AdminModel, type AuditItem, type ListResponse, MODEL_ID_PATTERN } from '#src/contract/index.js';

@Injectable()
export class AdminModelsService {
  constructor(
    private readonly models: AdminModelsRepository,
    private readonly prices: ModelPriceCache,
    private readonly peakHours: PeakHoursCache,
  ) {}

  async list(): Promise<AdminModel[]> {
    return this.models.list(await this.peakHours.isPeak());
  }

  /** `adminToken`: the acting admin's access token, which the SQL function verifies itself. */
  async setPrice(adminToken: string, model: string, price: UpdateModelPriceDto): Promise<AdminModel> {
    if (!MODEL_ID_PATTERN.test(model)) throw AdminErrors.invalid('model must be a model id.');
    try {
      const saved = await this.models.setPrice({
        adminToken,
        model,
        enabled: price.enabled,
        requestCredits: price.requestCredits,
        inputCreditsPer1k: price.inputCreditsPer1k,
        // Left out: the defaults docs/pricing.md names (cache hits at the input rate, no off-peak discount).
        cachedInputCreditsPer1k: price.cachedInputCreditsPer1k ?? price.inputCreditsPer1k,
        outputCreditsPer1k: price.outputCreditsPer1k,
        offPeakPercent: price.offPeakPercent ?? 100,
        defaultOutputTokens: price.defaultOutputTokens ?? null,
        reason: price.reason ?? null,
        peakNow: await this.peakHours.isPeak(),
      });
      this.prices.forget();
      return saved;
    } catch (error) {
      throw (
        adminErrorFor(error, 'change prices', {
          checkViolation:
            'A model must cost something (at least one non-zero price), and its default output at most its maximum.',
        }) ?? error
      );
    }
  }

  async audit(query: AuditQueryDto): Promise<ListResponse<AuditItem>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const before = decodeCursor(query.cursor, { id: CursorField.BigintId })?.id;
    const rows = await this.models.audit({
      limit: limit + 1,
      ...(query.targetType === undefined ? {} : { targetType: query.targetType }),
      ...(query.targetId === undefined ? {} : { targetId: query.targetId }),
      ...(before === undefined ? {} : { beforeId: before }),
    });
    return toPage(
      rows,
      limit,
      (row) => row,
      (row) => ({ id: row.id }),
    );
  }
}
