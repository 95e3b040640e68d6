import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment, LogLevel, NodeEnv } from '#src/config/environment.js';
import { parseTrustProxy, type TrustProxy } from '#src/config/trust-proxy.js';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Host, port and protocol of STRIPE_API_BASE; undefined: Stripe's own API. */
  apiBase?: { host: string; port: number; protocol: 'http' | 'https' };
}

/** Typed, validated settings. The only reader of the environment (through `ConfigService`). */
@Injectable()
export class AppConfigService {
  private generatedJwtSecret?: string;
  private generatedSecretsKey?: Buffer;

  constructor(private readonly config: ConfigService<Environment, true>) {}

  private get<K extends keyof Environment>(key: K): Environment[K] {
    return this.config.get(key, { infer: true });
  }

  get nodeEnv(): NodeEnv {
    return this.get('NODE_ENV');
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  get port(): number {
    return this.get('PORT');
  }

  get listenAddress(): string {
    return this.get('LISTEN_ADDRESS');
  }

  get logLevel(): LogLevel {
    return this.get('LOG_LEVEL');
  }

  get dataDir(): string {
    return resolve(this.get('DATA_DIR') ?? join(findWorkspaceRoot(), '.data'));
  }

  get migrationsDir(): string {
    return resolve(this.get('MIGRATIONS_DIR') ?? join(findWorkspaceRoot(), 'db', 'migrations'));
  }

  get consoleDir(): string {
    return resolve(this.get('CONSOLE_DIR') ?? join(findWorkspaceRoot(), 'admin-console', 'dist', 'browser'));
  }

  /** Undefined means: start the embedded PostgreSQL. */
  get databaseUrl(): string | undefined {
    return this.get('DATABASE_URL');
  }

  /** Undefined means: derive it from the owner's password (database/runtime-login.ts). */
  get databaseAppPassword(): string | undefined {
    return this.get('DATABASE_APP_PASSWORD');
  }

  get databasePoolMax(): number {
    return this.get('DATABASE_POOL_MAX');
  }

  get embeddedDatabasePort(): number {
    return this.get('EMBEDDED_DB_PORT');
  }

  /**
   * The configured secret, or in development a random one generated once and kept in
   * `DATA_DIR/jwt-secret`, so sessions survive restarts. Production never reaches the fallback:
   * validation requires `JWT_SECRET` there.
   */
  get jwtSecret(): string {
    const configured = this.get('JWT_SECRET');
    if (configured !== undefined) return configured;
    this.generatedJwtSecret ??= this.readOrCreateDevelopmentSecret('jwt-secret', () =>
      randomBytes(48).toString('base64url'),
    );
    return this.generatedJwtSecret;
  }

  get deepseekApiKey(): string | undefined {
    return this.get('DEEPSEEK_API_KEY');
  }

  get deepseekBaseUrl(): string {
    return this.get('DEEPSEEK_BASE_URL');
  }

  get aiDefaultModel(): string {
    return this.get('AI_DEFAULT_MODEL');
  }

  get aiTimeoutMs(): number {
    return this.get('AI_TIMEOUT_MS');
  }

  /** A stream with no event from upstream for this long is cut (within the whole-call deadline). */
  get streamIdleTimeoutMs(): number {
    return Math.min(this.get('STREAM_IDLE_TIMEOUT_MS'), this.aiTimeoutMs);
  }

  /** Downstream silence after which a stream sends an SSE comment, so idle proxies keep it open. */
  get sseHeartbeatMs(): number {
    return Math.min(5_000, Math.floor(this.aiTimeoutMs / 3));
  }

  get holdSweepIntervalMs(): number {
    return this.get('HOLD_SWEEP_INTERVAL_MS');
  }

  /** A hold outlives its request's deadline by 30 s (docs/billing.md, expired holds) before the sweeper may release it. */
  get holdTtlMs(): number {
    return this.aiTimeoutMs + 30_000;
  }

  get signupCredits(): number {
    return this.get('SIGNUP_CREDITS');
  }

  get adminCredentials(): { email: string; password: string } | undefined {
    const email = this.get('ADMIN_EMAIL');
    const password = this.get('ADMIN_PASSWORD');
    return email !== undefined && password !== undefined ? { email, password } : undefined;
  }

  get rateLimits(): {
    loginPerMinute: number;
    registerPerMinute: number;
    chatPerMinute: number;
    redeemPerMinute: number;
  } {
    return {
      loginPerMinute: this.get('RATE_LIMIT_LOGIN_PER_MIN'),
      registerPerMinute: this.get('RATE_LIMIT_REGISTER_PER_MIN'),
      chatPerMinute: this.get('RATE_LIMIT_CHAT_PER_MIN'),
      redeemPerMinute: this.get('RATE_LIMIT_REDEEM_PER_MIN'),
    };
  }

  get redisUrl(): string | undefined {
    return this.get('REDIS_URL');
  }

  get corsOrigins(): string[] {
    return (this.get('CORS_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0);
  }

  get bodyLimitBytes(): number {
    return this.get('BODY_LIMIT_BYTES');
  }

  /** The HTTP server's `trustProxy` (validated at boot, so the fallback is never taken). */
  get trustProxy(): TrustProxy {
    return parseTrustProxy(this.get('TRUST_PROXY')) ?? false;
  }

  /**
   * The key that encrypts secrets at rest (docs/channels.md), or in development a random one generated
   * once and kept in `DATA_DIR/secrets-key`. Production never reaches the fallback: validation requires
   * `SECRETS_KEY` there.
   */
  get secretsKey(): Buffer {
    const configured = this.get('SECRETS_KEY');
    if (configured !== undefined) return Buffer.from(configured, 'base64');
    this.generatedSecretsKey ??= Buffer.from(
      this.readOrCreateDevelopmentSecret('secrets-key', () => randomBytes(32).toString('base64')),
      'base64',
    );
    return this.generatedSecretsKey;
  }

  /** When a channel cools down, and for how long (docs/channels.md, health). */
  get channelHealth(): {
    failureThreshold: number;
    failureWindowMs: number;
    cooldownMs: number;
    cooldownMaxMs: number;
  } {
    return {
      failureThreshold: this.get('CHANNEL_FAILURE_THRESHOLD'),
      failureWindowMs: this.get('CHANNEL_FAILURE_WINDOW_MS'),
      cooldownMs: this.get('CHANNEL_COOLDOWN_MS'),
      cooldownMaxMs: Math.max(this.get('CHANNEL_COOLDOWN_MAX_MS'), this.get('CHANNEL_COOLDOWN_MS')),
    };
  }

  get lowCreditsThreshold(): number {
    return this.get('LOW_CREDITS_THRESHOLD');
  }

  /** The webhook dispatcher's timing (docs/alerts.md). */
  get webhookDelivery(): { retryBaseMs: number; retryWindowMs: number; timeoutMs: number; pollIntervalMs: number } {
    return {
      retryBaseMs: this.get('WEBHOOK_RETRY_BASE_MS'),
      retryWindowMs: this.get('WEBHOOK_RETRY_WINDOW_MS'),
      timeoutMs: this.get('WEBHOOK_TIMEOUT_MS'),
      pollIntervalMs: this.get('WEBHOOK_POLL_INTERVAL_MS'),
    };
  }

  /**
   * Card top-up (docs/top-up.md): the Stripe keys, and where the client calls (Stripe's own API unless
   * STRIPE_API_BASE names another). Undefined: card top-up is off. Validation requires both keys or neither.
   */
  get stripe(): StripeSettings | undefined {
    const secretKey = this.get('STRIPE_SECRET_KEY');
    const webhookSecret = this.get('STRIPE_WEBHOOK_SECRET');
    if (secretKey === undefined || webhookSecret === undefined) return undefined;
    const base = this.get('STRIPE_API_BASE');
    if (base === undefined) return { secretKey, webhookSecret };
    const url = new URL(base);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    return {
      secretKey,
      webhookSecret,
      apiBase: { host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol },
    };
  }

  /** The URL users reach the service at, without a trailing slash. */
  get publicUrl(): string {
    return (this.get('PUBLIC_URL') ?? `http://localhost:${this.port}`).replace(/\/+$/, '');
  }

  /** The bearer token /metrics asks for; undefined: loopback clients only. */
  get metricsToken(): string | undefined {
    return this.get('METRICS_TOKEN');
  }

  private readOrCreateDevelopmentSecret(name: string, generate: () => string): string {
    const file = join(this.dataDir, name);
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      mkdirSync(this.dataDir, { recursive: true, mode: 0o755 });
      const secret = generate();
      // 'wx' fails if another process created the file first; then that one's secret wins.
      try {
        writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
        return secret;
      } catch {
        return readFileSync(file, 'utf8').trim();
      }
    }
  }
}
