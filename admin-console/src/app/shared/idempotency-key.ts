/**
 * A fresh Idempotency-Key: 128 random bits as hex. `crypto.getRandomValues` rather than
 * `randomUUID`, which browsers offer only on HTTPS or localhost.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
