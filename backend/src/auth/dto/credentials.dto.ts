import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsEmailAddress } from '#src/common/validators.js';
import {
  type LoginRequest,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type RefreshRequest,
  type RegisterRequest,
} from '#src/contract/index.js';

/** E-mail addresses are compared trimmed and lower-cased. */
const normaliseEmail = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class RegisterDto implements RegisterRequest {
  /** Trimmed and lower-cased; at most 254 characters. */
  @Transform(normaliseEmail)
  @IsEmailAddress()
  @MaxLength(254)
  email!: string;

  /** Stored as an argon2id hash. */
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

/** Login checks only the shape: a wrong password of any length is the same 401. */
export class LoginDto implements LoginRequest {
  @Transform(normaliseEmail)
  @IsEmailAddress()
  @MaxLength(254)
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class RefreshTokenDto implements RefreshRequest {
  /** The `refreshToken` of the last sign-in or refresh. */
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  refreshToken!: string;
}
