import { Module } from '@nestjs/common';
import { RedeemController } from '#src/redemption/redeem.controller.js';
import { RedemptionCodesController } from '#src/redemption/redemption-codes.controller.js';
import { RedemptionRepository } from '#src/redemption/redemption.repository.js';
import { RedemptionService } from '#src/redemption/redemption.service.js';

/**
 * Redemption codes (docs/top-up.md): batches made, listed and revoked by admins, and redeemed by users
 * through one SQL function that credits each code once.
 */
@Module({
  controllers: [RedemptionCodesController, RedeemController],
  providers: [RedemptionRepository, RedemptionService],
})
export class RedemptionModule {}
