import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminModelsService } from '#src/admin/admin-models.service.js';
import { AuditQueryDto, UpdateModelPriceDto } from '#src/admin/dto/admin-reports.dto.js';
import { AccessToken, Roles } from '#src/common/auth.decorators.js';
import type { AdminModel, AuditItem, ListResponse } from '#src/contract/index.js';

@ApiTags('admin')
@Controller('api/admin')
@Roles('admin')
export class AdminModelsController {
  constructor(private readonly models: AdminModelsService) {}

  /** The whole price table, disabled and demo models included. */
  @Get('models')
  async list(): Promise<ListResponse<AdminModel>> {
    return { items: await this.models.list(), nextCursor: null };
  }

  /** Sets a model's price and availability (audited); the next chat is priced with it. */
  @Put('models/:model')
  update(
    @AccessToken() adminToken: string,
    @Param('model') model: string,
    @Body() body: UpdateModelPriceDto,
  ): Promise<AdminModel> {
    return this.models.setPrice(adminToken, model, body);
  }

  /** Who changed what and why: role, disable and price changes (credit changes are in the ledger). */
  @Get('audit')
  audit(@Query() query: AuditQueryDto): Promise<ListResponse<AuditItem>> {
    return this.models.audit(query);
  }
}
