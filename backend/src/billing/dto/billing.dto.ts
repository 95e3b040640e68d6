import { IsBoolean, IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OptionalNotNull, StoredLabel } from '#src/common/validators.js';
import {
  type CheckoutRequest,
  type CreateCreditPackageRequest,
  CURRENCY_PATTERN,
  PACKAGE_MAX_PRICE_MINOR_UNITS,
  TOP_UP_MAX_CREDITS,
  type UpdateCreditPackageRequest,
} from '#src/contract/index.js';

const currencyMessage = { message: 'currency must be a three-letter ISO 4217 code such as usd' };

/** `POST /api/admin/billing/packages` (docs/top-up.md). */
export class CreateCreditPackageDto implements CreateCreditPackageRequest {
  /** Shown to users and on Stripe's Checkout page. Trimmed. */
  @StoredLabel()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(TOP_UP_MAX_CREDITS)
  credits!: number;

  /** In the currency's smallest unit: cents for USD and EUR, whole yen for JPY. */
  @IsInt()
  @Min(1)
  @Max(PACKAGE_MAX_PRICE_MINOR_UNITS)
  priceCents!: number;

  /** ISO 4217 (`usd`, `EUR`); stored in lower case, as Stripe writes it. */
  @IsString()
  @Matches(CURRENCY_PATTERN, currencyMessage)
  currency!: string;
}

/** `PATCH /api/admin/billing/packages/:id`: only the fields given change. */
export class UpdateCreditPackageDto implements UpdateCreditPackageRequest {
  @OptionalNotNull()
  @StoredLabel()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(TOP_UP_MAX_CREDITS)
  credits?: number;

  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(PACKAGE_MAX_PRICE_MINOR_UNITS)
  priceCents?: number;

  @OptionalNotNull()
  @IsString()
  @Matches(CURRENCY_PATTERN, currencyMessage)
  currency?: string;

  /** False archives the package (as DELETE does); true offers it again. */
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

/** `POST /api/billing/checkout`. */
export class CheckoutDto implements CheckoutRequest {
  /** An active package (`GET /api/billing/packages`). */
  @IsUUID()
  packageId!: string;
}
