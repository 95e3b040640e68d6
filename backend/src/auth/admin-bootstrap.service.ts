import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AdminBootstrapRepository } from '#src/auth/admin-bootstrap.repository.js';
import { PasswordHasher } from '#src/auth/password-hasher.js';
import { AppConfigService } from '#src/config/app-config.service.js';

export const DEMO_ADMIN_EMAIL = 'admin@creditgate.local';
export const DEMO_ADMIN_FILE = 'demo-admin.json';

interface DemoAdmin {
  email: string;
  password: string;
}

/**
 * Makes sure someone can administer CreditGate once it is up (README, Configuration):
 * - `ADMIN_EMAIL` + `ADMIN_PASSWORD` set: that account exists, is an enabled admin, and signs in
 *   with that password (an existing account of that e-mail is promoted, and its password replaced
 *   if it differs: the environment is the source of truth for this one account);
 * - unset, in production: boot stops unless an enabled admin already exists;
 * - unset, in development: with no admin yet, a demo admin is created; its credentials are kept in
 *   `DATA_DIR/demo-admin.json` and printed at every boot (to the terminal, not to the JSON log).
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly config: AppConfigService,
    private readonly admins: AdminBootstrapRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const credentials = this.config.adminCredentials;
    if (credentials) {
      await this.ensureAdmin(credentials.email.trim().toLowerCase(), credentials.password);
      return;
    }
    if (this.config.nodeEnv === 'development') {
      await this.ensureDemoAdmin();
      return;
    }
    if (this.config.isProduction && !(await this.admins.activeAdminExists())) {
      throw new Error(
        'No admin account exists and ADMIN_EMAIL / ADMIN_PASSWORD are not set: set them so that someone can administer CreditGate',
      );
    }
  }

  private async ensureAdmin(email: string, password: string): Promise<void> {
    const account = await this.admins.createOrFind(email, await this.passwords.hash(password));
    if (account.created) {
      this.logger.log(`Admin ${email} created from ADMIN_EMAIL`);
      return;
    }
    const passwordMatches = await this.passwords.verify(account.passwordHash, password);
    await this.admins.promote(account.id, passwordMatches ? undefined : await this.passwords.hash(password));
    this.logger.log(
      `Admin ${email} ensured from ADMIN_EMAIL${passwordMatches ? '' : ' (password reset to ADMIN_PASSWORD)'}`,
    );
  }

  private async ensureDemoAdmin(): Promise<void> {
    const file = join(this.config.dataDir, DEMO_ADMIN_FILE);
    let demo = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as DemoAdmin)
      .catch(() => undefined);
    if (!demo) {
      if (await this.admins.activeAdminExists()) return;
      demo = { email: DEMO_ADMIN_EMAIL, password: randomBytes(12).toString('base64url') };
      await writeFile(file, JSON.stringify(demo), { mode: 0o600 });
    }
    await this.ensureAdmin(demo.email, demo.password);
    // Deliberately not through the logger: credentials never enter the JSON log stream.
    process.stdout.write(
      `\n  Demo admin (development only): ${demo.email} / ${demo.password}\n  Kept in ${file}; set ADMIN_EMAIL and ADMIN_PASSWORD to choose your own.\n\n`,
    );
  }
}
