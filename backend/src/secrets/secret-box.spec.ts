import { randomBytes } from 'node:crypto';
import type { AppConfigService } from '#src/config/app-config.service.js';
import { SecretBox, UnreadableSecretError } from '#src/secrets/secret-box.js';

const boxWith = (key: Buffer) => new SecretBox({ secretsKey: key } as AppConfigService);

describe('SecretBox', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and never stores the plaintext or repeats a ciphertext', () => {
    const box = boxWith(key);
    const sealed = box.seal('sk-live-1234567890abcdef', 'channel:a');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('sk-live');
    expect(box.seal('sk-live-1234567890abcdef', 'channel:a')).not.toBe(sealed);
    expect(box.open(sealed, 'channel:a')).toBe('sk-live-1234567890abcdef');
  });

  it('refuses another key, another context and an altered text', () => {
    const sealed = boxWith(key).seal('sk-secret', 'channel:a');
    expect(() => boxWith(randomBytes(32)).open(sealed, 'channel:a')).toThrow(UnreadableSecretError);
    expect(() => boxWith(key).open(sealed, 'channel:b')).toThrow(UnreadableSecretError);
    const [version, iv, tag, text] = sealed.split('.') as [string, string, string, string];
    const flipped = `${text.startsWith('A') ? 'B' : 'A'}${text.slice(1)}`;
    expect(() => boxWith(key).open([version, iv, tag, flipped].join('.'), 'channel:a')).toThrow(UnreadableSecretError);
    expect(() => boxWith(key).open('not sealed', 'channel:a')).toThrow(UnreadableSecretError);
  });
});
