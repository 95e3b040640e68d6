import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminPricingService } from '#src/admin/admin-pricing.service.js';
import { UpdatePeakHoursDto } from '#src/admin/dto/admin-pricing.dto.js';
import { AccessToken, Roles } from '#src/common/auth.decorators.js';
import type { PeakHours } from '#src/contract/index.js';

@ApiTags('admin')
@Controller('api/admin/pricing')
@Roles('admin')
export class AdminPricingController {
  constructor(private readonly pricing: AdminPricingService) {}

  /** The hours priced at the peak rates; every other hour costs each model's off-peak percentage. */
  @Get('peak-hours')
  peakHours(): Promise<PeakHours> {
    return this.pricing.peakHours();
  }

  /** Replaces the calendar (audited); the next chat is priced by it. */
  @Put('peak-hours')
  setPeakHours(@AccessToken() adminToken: string, @Body() body: UpdatePeakHoursDto): Promise<PeakHours> {
    return this.pricing.setPeakHours(adminToken, body);
  }
}
