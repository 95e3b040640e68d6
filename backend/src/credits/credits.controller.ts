import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AllowApiKey, type AuthenticatedUser, CurrentUser, RequiresLogin } from '#src/common/auth.decorators.js';
import { PageQueryDto } from '#src/common/pagination.js';
import type { CreditsView, LedgerItem, ListResponse } from '#src/contract/index.js';
import { CreditsService } from '#src/credits/credits.service.js';

@ApiTags('credits')
@RequiresLogin()
@Controller('api/credits')
export class CreditsController {
  constructor(private readonly credits: CreditsService) {}

  /** Balance, held by calls in flight, and available. */
  @AllowApiKey()
  @Get()
  balance(@CurrentUser() user: AuthenticatedUser): Promise<CreditsView> {
    return this.credits.credits(user.id);
  }

  /** Every change of the balance, newest first; the amounts sum to the balance. */
  @Get('ledger')
  ledger(@CurrentUser() user: AuthenticatedUser, @Query() query: PageQueryDto): Promise<ListResponse<LedgerItem>> {
    return this.credits.ledgerPage(user.id, query);
  }
}
