// class-transformer and class-validator keep their rules in decorator metadata.
import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsIP,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { MODEL_ID_PATTERN } from '#src/contract/ai.js';
import { IsTrustProxy } from '#src/config/trust-proxy.js';

export const NodeEnv = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NodeEnv)[number];

export const LogLevel = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LogLevel)[number];

/** 32 bytes in base64 (standard or URL-safe alphabet, padded or not). */
const SECRETS_KEY_PATTERN = /^[A-Za-z0-9+/_-]{43}=?$/;

const httpUrl = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The process environment as the backend accepts it (README, Configuration). Validated once at boot; a bad value
 * stops boot with a message naming the variable. Read it through `AppConfigService`, never directly.
 */
export class Environment {
  @IsIn(NodeEnv)
  NODE_ENV: NodeEnv = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * The address the HTTP server listens on: every interface by default (a container's port is reached
   * through its own interface); 127.0.0.1 keeps it to this machine.
   */
  @IsIP(undefined, { message: 'LISTEN_ADDRESS must be an IP address, such as 0.0.0.0 (every interface) or 127.0.0.1' })
  LISTEN_ADDRESS = '0.0.0.0';

  /** Unset: the backend starts an embedded PostgreSQL with data under `DATA_DIR/postgres`. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /**
   * The password the runtime role (creditgate_app) logs in with; the backend sets it at boot.
   * Unset: derived from DATABASE_URL's password. Printable ASCII, so that every client and server
   * hashes it alike (SCRAM's SASLprep leaves ASCII unchanged).
   */
  @IsOptional()
  @Matches(/^[\x20-\x7e]{16,}$/, {
    message: 'DATABASE_APP_PASSWORD must be at least 16 printable ASCII characters',
  })
  DATABASE_APP_PASSWORD?: string;

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(500)
  DATABASE_POOL_MAX = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_DB_PORT = 54329;

  /** Where development state lives: the embedded database and the generated JWT secret. */
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  /** Plain-SQL migrations; defaults to the workspace's `db/migrations`. */
  @IsOptional()
  @IsString()
  MIGRATIONS_DIR?: string;

  /** The built admin console served at `/admin`; defaults to the workspace's `admin-console/dist/browser`. */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.JWT_SECRET !== undefined)
  @IsString({ message: 'JWT_SECRET is required when NODE_ENV=production' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** Unset: demo mode, a local provider; nothing leaves the machine. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  DEEPSEEK_API_KEY?: string;

  @IsUrl(httpUrl, { message: 'DEEPSEEK_BASE_URL must be an http(s) URL' })
  DEEPSEEK_BASE_URL = 'https://api.deepseek.com';

  @IsString()
  @Matches(MODEL_ID_PATTERN, { message: 'AI_DEFAULT_MODEL must be a model id such as deepseek-flash' })
  AI_DEFAULT_MODEL = 'deepseek-flash';

  /**
   * The cap on one whole request upstream, body included. Thinking models answer slowly and long
   * (up to 384K output tokens): a thinking answer of a model's default output length must fit.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  AI_TIMEOUT_MS = 600_000;

  /**
   * The longest silence between two bytes of an upstream answer, stream or not; DeepSeek's keep-alive
   * lines count as bytes (never more than AI_TIMEOUT_MS).
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  STREAM_IDLE_TIMEOUT_MS = 30_000;

  /** How often expired holds are released (docs/billing.md, expired holds: at least every 15 s). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(15000)
  HOLD_SWEEP_INTERVAL_MS = 10000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000000)
  SIGNUP_CREDITS = 1000;

  @ValidateIf((env: Environment) => env.ADMIN_PASSWORD !== undefined || env.ADMIN_EMAIL !== undefined)
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an e-mail address (required when ADMIN_PASSWORD is set)' })
  ADMIN_EMAIL?: string;

  @ValidateIf((env: Environment) => env.ADMIN_EMAIL !== undefined || env.ADMIN_PASSWORD !== undefined)
  @IsString({ message: 'ADMIN_PASSWORD is required when ADMIN_EMAIL is set' })
  @MinLength(8, { message: 'ADMIN_PASSWORD must be 8 to 128 characters' })
  @MaxLength(128, { message: 'ADMIN_PASSWORD must be 8 to 128 characters' })
  ADMIN_PASSWORD?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_PER_MIN = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_REGISTER_PER_MIN = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_CHAT_PER_MIN = 120;

  /** Redemption attempts per user per minute; per client IP, ten times this (docs/top-up.md). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_REDEEM_PER_MIN = 10;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Comma-separated origins allowed to call the API from a browser; empty = same origin only. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  @IsIn(LogLevel)
  LOG_LEVEL: LogLevel = 'info';

  /** Proxies whose X-Forwarded-For is believed: a hop count or IPs/CIDRs, comma-separated. Unset: none. */
  @IsOptional()
  @IsTrustProxy()
  TRUST_PROXY?: string;

  /**
   * 32 bytes, base64: encrypts upstream API keys (and webhook secrets) at rest. Required in
   * production; in development one is generated and kept in `DATA_DIR/secrets-key`.
   */
  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.SECRETS_KEY !== undefined)
  @IsString({ message: 'SECRETS_KEY is required when NODE_ENV=production' })
  @Matches(SECRETS_KEY_PATTERN, { message: 'SECRETS_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)' })
  SECRETS_KEY?: string;

  /** Retryable failures of one channel, within CHANNEL_FAILURE_WINDOW_MS, that start a cool-down. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  CHANNEL_FAILURE_THRESHOLD = 5;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  CHANNEL_FAILURE_WINDOW_MS = 60_000;

  /** The first cool-down; each consecutive one doubles, up to CHANNEL_COOLDOWN_MAX_MS. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  CHANNEL_COOLDOWN_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  CHANNEL_COOLDOWN_MAX_MS = 600_000;

  /** Available credits under which a charge raises the credits.low alert (docs/alerts.md). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  LOW_CREDITS_THRESHOLD = 100;

  /** The first wait before a failed webhook delivery is retried; each retry doubles it. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS = 5_000;

  /** How long after its event a delivery is retried before it is marked failed. */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(7 * 86_400_000)
  WEBHOOK_RETRY_WINDOW_MS = 86_400_000;

  /** How long a receiver has to answer one delivery. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** How often each instance looks for due deliveries. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  WEBHOOK_POLL_INTERVAL_MS = 1_000;

  /**
   * Card top-up through Stripe Checkout (docs/top-up.md): both this and STRIPE_WEBHOOK_SECRET, or neither
   * (then every /api/billing route answers 404). A secret (sk_…) or restricted (rk_…) key.
   */
  @ValidateIf((env: Environment) => env.STRIPE_SECRET_KEY !== undefined || env.STRIPE_WEBHOOK_SECRET !== undefined)
  @IsString({ message: 'STRIPE_SECRET_KEY is required when STRIPE_WEBHOOK_SECRET is set' })
  @Matches(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, {
    message: 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_… or sk_live_…)',
  })
  STRIPE_SECRET_KEY?: string;

  /** The signing secret of the webhook endpoint (whsec_…), which verifies every event Stripe sends. */
  @ValidateIf((env: Environment) => env.STRIPE_SECRET_KEY !== undefined || env.STRIPE_WEBHOOK_SECRET !== undefined)
  @IsString({ message: 'STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set' })
  @Matches(/^whsec_[A-Za-z0-9+/=]+$/, { message: 'STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)' })
  STRIPE_WEBHOOK_SECRET?: string;

  /** Where the Stripe client sends its calls; unset, Stripe's own API. Tests point it at a local fake. */
  @IsOptional()
  @IsUrl(httpUrl, { message: 'STRIPE_API_BASE must be an http(s) URL' })
  @Matches(/^https?:\/\/[^/?#]+\/?$/, { message: 'STRIPE_API_BASE must be an http(s) URL without a path' })
  STRIPE_API_BASE?: string;

  /** The URL users reach the service at; Checkout sends them back under it. Unset: http://localhost:PORT. */
  @IsOptional()
  @IsUrl(httpUrl, { message: 'PUBLIC_URL must be an http(s) URL' })
  @Matches(/^https?:\/\/[^?#]+$/, { message: 'PUBLIC_URL must be an http(s) URL without a query or fragment' })
  PUBLIC_URL?: string;

  /** Bearer token for /metrics; unset, /metrics answers loopback clients only. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;
}

/**
 * Turns the raw process environment into a validated `Environment`, or throws one error that
 * names every bad variable. Empty strings count as unset, as docker-compose passes them.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const environment = plainToInstance(Environment, present, {
    excludeExtraneousValues: false,
  });
  const errors = validateSync(environment, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) =>
      Object.values(error.constraints ?? {}).map((message) =>
        message.startsWith(error.property) ? message : `${error.property}: ${message}`,
      ),
    );
    throw new Error(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  }
  return environment;
}
