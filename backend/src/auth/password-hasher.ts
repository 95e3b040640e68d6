import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with the library's defaults, which are OWASP's recommended minimum (19 MiB, t=2, p=1).
 * `verifyAgainstNothing` spends the same time as a real check, so a login for an unknown e-mail
 * cannot be told from a wrong password by its timing.
 */
@Injectable()
export class PasswordHasher {
  private readonly dummyHash = hash('creditgate-timing-equaliser');

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  async verifyAgainstNothing(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
