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

  /** A new user with the signup credits, signed in: the user and a token pair. */
  @Public()
  @RateLimit(RateLimitName.RegisterPerIp)
  @Post('register')
  register(@Body() body: RegisterDto): Promise<AuthResponse> {
    return this.auth.register(body.email, body.password);
  }

  /** A new session: the user and a token pair. A wrong password and an unknown e-mail get the same 401. */
  @Public()
  @RateLimit(RateLimitName.LoginPerEmail, RateLimitName.LoginPerIp)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  login(@Body() body: LoginDto): Promise<AuthResponse> {
    return this.auth.login(body.email, body.password);
  }

  /**
   * Exchanges a refresh token for a new pair; the old token stops working. A token used twice is a
   * replay: the whole session (every token of its family) is revoked.
   */
  @Public()
  @RateLimit(RateLimitName.SessionPerIp)
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  refresh(@Body() body: RefreshTokenDto): Promise<AuthResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  /** Public: a client whose access token has expired must still be able to end its session. */
  @Public()
  @RateLimit(RateLimitName.SessionPerIp)
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

  /** The signed-in user; `credits` is what it can spend now (balance minus open holds). */
  @Get()
  me(@CurrentUser() user: AuthenticatedUser): Promise<UserView> {
    return this.auth.me(user.id);
  }
}
