import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthService } from '#src/auth/auth.service.js';
import { LoginDto, RefreshTokenDto, RegisterDto } from '#src/auth/dto/credentials.dto.js';
import { type AuthenticatedUser, CurrentUser, Public, RequiresLogin } from '#src/common/auth.decorators.js';
import type { AuthResponse, UserView } from '#src/contract/index.js';
import { RateLimit, RateLimitName } from '#src/rate-limit/rate-limit.decorator.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @RateLimit(RateLimitName.RegisterPerIp)
  @Post('register')
  register(@Body() body: RegisterDto): Promise<AuthResponse> {
    return this.auth.register(body.email, body.password);
  }

  @Public()
  @RateLimit(RateLimitName.LoginPerEmail, RateLimitName.LoginPerIp)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  login(@Body() body: LoginDto): Promise<AuthResponse> {
    return this.auth.login(body.email, body.password);
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  refresh(@Body() body: RefreshTokenDto): Promise<AuthResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  /** Public: a client whose access token has expired must still be able to end its session. */
  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }
}

@ApiTags('auth')
@RequiresLogin()
@Controller('api/me')
export class MeController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  me(@CurrentUser() user: AuthenticatedUser): Promise<UserView> {
    return this.auth.me(user.id);
  }
}
