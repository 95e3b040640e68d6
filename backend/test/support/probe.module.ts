import { Controller, Get, Module } from '@nestjs/common';
import { AllowApiKey, type AuthenticatedUser, CurrentUser, Roles } from '#src/common/auth.decorators.js';

/**
 * Stand-ins for routes that later issues add, to test the guards on their own: an admin route
 * (admins only, no API keys, as every /api/admin/* route) and a route that accepts API keys (as
 * /api/ai/*, /v1/* and the read-only credit and usage views).
 */
@Controller('api')
class ProbeController {
  @Roles('admin')
  @Get('admin/probe')
  admin(): { ok: true } {
    return { ok: true };
  }

  @AllowApiKey()
  @Get('probe/key-allowed')
  whoAmI(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
