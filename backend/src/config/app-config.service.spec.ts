import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { AppConfigService } from '#src/config/app-config.service.js';
import { validateEnvironment } from '#src/config/environment.js';

function configFor(raw: Record<string, string>): AppConfigService {
  return new AppConfigService(new ConfigService(validateEnvironment(raw)));
}

describe('AppConfigService', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'creditgate-config-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates a development JWT secret once, keeps it private in DATA_DIR, and reuses it after a restart', async () => {
    const first = configFor({ DATA_DIR: dataDir }).jwtSecret;
    const afterRestart = configFor({ DATA_DIR: dataDir }).jwtSecret;

    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(afterRestart).toBe(first);
    expect((await stat(join(dataDir, 'jwt-secret'))).mode & 0o777).toBe(0o600);
  });

  it('uses the configured JWT_SECRET and writes nothing', async () => {
    const secret = 's'.repeat(40);

    expect(configFor({ DATA_DIR: dataDir, JWT_SECRET: secret }).jwtSecret).toBe(secret);
    await expect(stat(join(dataDir, 'jwt-secret'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads demo mode, CORS origins and admin credentials from the environment', () => {
    const config = configFor({
      CORS_ORIGINS: ' https://a.example , https://b.example,',
      ADMIN_EMAIL: 'ops@example.com',
      ADMIN_PASSWORD: 'correct horse',
    });

    expect(config.deepseekApiKey).toBeUndefined();
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.adminCredentials).toEqual({ email: 'ops@example.com', password: 'correct horse' });
    expect(configFor({ DEEPSEEK_API_KEY: 'sk-test' }).deepseekApiKey).toBe('sk-test');
  });

  it('turns card top-up on with both Stripe keys, parsing STRIPE_API_BASE into host, port and protocol', () => {
    const keys = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc123' };

    expect(configFor({}).stripe).toBeUndefined();
    expect(configFor(keys).stripe).toEqual({ secretKey: 'sk_test_abc123', webhookSecret: 'whsec_abc123' });
    expect(configFor({ ...keys, STRIPE_API_BASE: 'http://127.0.0.1:4567' }).stripe?.apiBase).toEqual({
      host: '127.0.0.1',
      port: 4567,
      protocol: 'http',
    });
    expect(configFor({ ...keys, STRIPE_API_BASE: 'https://stripe.internal/' }).stripe?.apiBase).toEqual({
      host: 'stripe.internal',
      port: 443,
      protocol: 'https',
    });
  });

  it('defaults PUBLIC_URL to localhost on PORT and drops a trailing slash', () => {
    expect(configFor({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(configFor({ PUBLIC_URL: 'https://credits.example.com/' }).publicUrl).toBe('https://credits.example.com');
  });
});
