import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BillingService } from '#src/billing/billing.service.js';
import { CreateCreditPackageDto, UpdateCreditPackageDto } from '#src/billing/dto/billing.dto.js';
import { AccessToken, Roles } from '#src/common/auth.decorators.js';
import type { AdminCreditPackageView, ListResponse } from '#src/contract/index.js';

/**
 * Credit packages for card top-up (docs/top-up.md), changed by admin functions that verify the token and
 * audit. These routes work while card top-up is off, so packages can be prepared before the keys are set.
 */
@ApiTags('admin')
@Controller('api/admin/billing/packages')
@Roles('admin')
export class AdminPackagesController {
  constructor(private readonly billing: BillingService) {}

  /** Every package, archived ones too. */
  @Get()
  list(): Promise<ListResponse<AdminCreditPackageView>> {
    return this.billing.adminPackages();
  }

  /** A new package, active at once (audited). */
  @Post()
  create(@AccessToken() adminToken: string, @Body() body: CreateCreditPackageDto): Promise<AdminCreditPackageView> {
    return this.billing.createPackage(adminToken, body);
  }

  /** Changes the fields given (audited); orders already made keep what they copied. */
  @Patch(':id')
  update(
    @AccessToken() adminToken: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateCreditPackageDto,
  ): Promise<AdminCreditPackageView> {
    return this.billing.updatePackage(adminToken, id, body);
  }

  /** Archives the package (audited): no longer offered; its orders still name it. */
  @Delete(':id')
  archive(@AccessToken() adminToken: string, @Param('id', ParseUUIDPipe) id: string): Promise<AdminCreditPackageView> {
    return this.billing.archivePackage(adminToken, id);
  }
}
