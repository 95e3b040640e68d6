import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, RequiresLogin } from '#src/common/auth.decorators.js';
import type { RedeemCodeResponse } from '#src/contract/index.js';
import { RateLimit, RateLimitName } from '#src/rate-limit/rate-limit.decorator.js';
import { RedeemCodeDto } from '#src/redemption/dto/redemption.dto.js';
import { RedemptionService } from '#src/redemption/redemption.service.js';

/** Redeeming needs a login (JWT), never an API key: a leaked key must not be able to guess codes. */
@ApiTags('credits')
@RequiresLogin()
@Controller('api/credits')
export class RedeemController {
  constructor(private readonly redemption: RedemptionService) {}

  /**
   * Adds a redemption code's credits to the caller's balance, once per code whoever races for it.
   * Unknown or revoked: 404; already redeemed: 409 CODE_ALREADY_REDEEMED; expired: 410 CODE_EXPIRED.
   * Rate-limited per user and per client IP.
   */
  @Post('redeem')
  @HttpCode(HttpStatus.OK)
  @RateLimit(RateLimitName.RedeemPerUser, RateLimitName.RedeemPerIp)
  redeem(@CurrentUser() user: AuthenticatedUser, @Body() body: RedeemCodeDto): Promise<RedeemCodeResponse> {
    return this.redemption.redeem(user.id, body.code);
  }
}
