import { validateEnvironment } from '#src/config/environment.js';

describe('validateEnvironment', () => {
  it('applies the documented defaults to an empty environment', () => {
    const environment = validateEnvironment({});

    expect(environment).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      LISTEN_ADDRESS: '0.0.0.0',
      DEEPSEEK_BASE_URL: 'https://api.deepseek.com',
      AI_DEFAULT_MODEL: 'deepseek-flash',
      AI_TIMEOUT_MS: 600000,
      STREAM_IDLE_TIMEOUT_MS: 30000,
      SIGNUP_CREDITS: 1000,
      RATE_LIMIT_LOGIN_PER_MIN: 10,
      RATE_LIMIT_REGISTER_PER_MIN: 20,
      RATE_LIMIT_CHAT_PER_MIN: 120,
    });
    expect(environment.DATABASE_URL).toBeUndefined();
    expect(environment.DEEPSEEK_API_KEY).toBeUndefined();
  });

  it('converts numbers and treats empty strings as unset', () => {
    const environment = validateEnvironment({ PORT: '8080', DATABASE_URL: '', AI_TIMEOUT_MS: '5000' });

    expect(environment.PORT).toBe(8080);
    expect(environment.AI_TIMEOUT_MS).toBe(5000);
    expect(environment.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LISTEN_ADDRESS: 'localhost' }, 'LISTEN_ADDRESS'],
    [{ AI_TIMEOUT_MS: '10' }, 'AI_TIMEOUT_MS'],
    [{ SIGNUP_CREDITS: '-1' }, 'SIGNUP_CREDITS'],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL'],
    [{ DATABASE_APP_PASSWORD: 'fifteen-chars-x' }, 'DATABASE_APP_PASSWORD'],
    [{ DATABASE_APP_PASSWORD: 'sixteen-chärs-xx' }, 'DATABASE_APP_PASSWORD'],
    [{ DEEPSEEK_BASE_URL: 'not a url' }, 'DEEPSEEK_BASE_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ ADMIN_EMAIL: 'ops@example.com' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_PASSWORD: 'long-enough-password' }, 'ADMIN_EMAIL'],
    [{ REDIS_URL: 'http://cache' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CHANNEL_FAILURE_THRESHOLD: '0' }, 'CHANNEL_FAILURE_THRESHOLD'],
    [{ CHANNEL_COOLDOWN_MS: 'soon' }, 'CHANNEL_COOLDOWN_MS'],
  ])('stops boot on %p with a message naming %s', (raw, variable) => {
    expect(() => validateEnvironment(raw)).toThrow(new RegExp(`Invalid environment:[\\s\\S]*${variable}`));
  });

  it('requires a JWT_SECRET of 32+ characters in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
    expect(
      validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: 'A'.repeat(43) + '=' })
        .JWT_SECRET,
    ).toHaveLength(32);
  });

  it('requires a SECRETS_KEY of 32 bytes in base64 in production, and checks one given anywhere', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /SECRETS_KEY is required when NODE_ENV=production/,
    );
    expect(() => validateEnvironment({ SECRETS_KEY: 'c2hvcnQ=' })).toThrow(/SECRETS_KEY must be 32 bytes in base64/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: key }).SECRETS_KEY,
    ).toBe(key);
    expect(validateEnvironment({ SECRETS_KEY: Buffer.alloc(32, 7).toString('base64url') }).SECRETS_KEY).toBeDefined();
  });

  it('takes both Stripe keys or neither, naming the one missing, and a STRIPE_API_BASE without a path', () => {
    const keys = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc123' };

    expect(validateEnvironment(keys)).toMatchObject(keys);
    expect(validateEnvironment({}).STRIPE_SECRET_KEY).toBeUndefined();
    expect(validateEnvironment({}).RATE_LIMIT_REDEEM_PER_MIN).toBe(10);
    expect(() => validateEnvironment({ STRIPE_SECRET_KEY: 'sk_test_abc123' })).toThrow(
      /STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set/,
    );
    expect(() => validateEnvironment({ STRIPE_WEBHOOK_SECRET: 'whsec_abc123' })).toThrow(
      /STRIPE_SECRET_KEY is required when STRIPE_WEBHOOK_SECRET is set/,
    );
    expect(() => validateEnvironment({ ...keys, STRIPE_SECRET_KEY: 'pk_test_abc123' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => validateEnvironment({ ...keys, STRIPE_WEBHOOK_SECRET: 'secret' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => validateEnvironment({ STRIPE_API_BASE: 'http://127.0.0.1:1234/v1' })).toThrow(/STRIPE_API_BASE/);
    expect(() => validateEnvironment({ STRIPE_API_BASE: 'ftp://stripe' })).toThrow(/STRIPE_API_BASE/);
    expect(() => validateEnvironment({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
    expect(() => validateEnvironment({ RATE_LIMIT_REDEEM_PER_MIN: '0' })).toThrow(/RATE_LIMIT_REDEEM_PER_MIN/);
  });

  it('names every bad variable at once', () => {
    expect(() => validateEnvironment({ PORT: 'x', AI_TIMEOUT_MS: 'y' })).toThrow(/PORT[\s\S]*AI_TIMEOUT_MS/);
  });
});
