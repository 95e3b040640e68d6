import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccessToken, Roles } from '#src/common/auth.decorators.js';
import { PageQueryDto } from '#src/common/pagination.js';
import type { CreatedRedemptionCodes, ListResponse, RedemptionBatchView } from '#src/contract/index.js';
import { CreateRedemptionCodesDto } from '#src/redemption/dto/redemption.dto.js';
import { RedemptionService } from '#src/redemption/redemption.service.js';

/** Batches of redemption codes (docs/top-up.md); every change verified and audited by the database. */
@ApiTags('admin')
@Controller('api/admin/redemption-codes')
@Roles('admin')
export class RedemptionCodesController {
  constructor(private readonly redemption: RedemptionService) {}

  /** Makes a batch (audited). Its codes are in this answer only: store or hand them out now. */
  @Post()
  create(@AccessToken() adminToken: string, @Body() body: CreateRedemptionCodesDto): Promise<CreatedRedemptionCodes> {
    return this.redemption.createBatch(adminToken, body);
  }

  /** Batches, newest first, with how many of their codes were redeemed, are unused or revoked. */
  @Get()
  list(@Query() query: PageQueryDto): Promise<ListResponse<RedemptionBatchView>> {
    return this.redemption.batches(query);
  }

  /** Revokes the batch's unused codes (audited); redeemed ones stay redeemed. Answers the batch. */
  @Delete(':batchId')
  revoke(
    @AccessToken() adminToken: string,
    @Param('batchId', ParseUUIDPipe) batchId: string,
  ): Promise<RedemptionBatchView> {
    return this.redemption.revokeBatch(adminToken, batchId);
  }
}
