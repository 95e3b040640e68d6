import { isIP } from 'node:net';
import { registerDecorator } from 'class-validator';

/**
 * `TRUST_PROXY` (README, Configuration): whose `X-Forwarded-For` to believe. A hop count (`1`: the one proxy in
 * front of us, whoever it is), or a comma-separated list of proxy addresses and CIDR ranges, IPv4 or
 * IPv6. Unset: nobody's; the client is the socket's peer. The result is the HTTP server's `trustProxy`.
 */
export type TrustProxy = false | number | string[];

const MAX_HOPS = 10;

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/** The parsed setting, or undefined when `raw` is neither form. */
export function parseTrustProxy(raw: string | undefined): TrustProxy | undefined {
  if (raw === undefined || raw.trim() === '') return false;
  const value = raw.trim();
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= MAX_HOPS ? (hops === 0 ? false : hops) : undefined;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.every(isAddressOrRange) ? entries : undefined;
}

export function IsTrustProxy(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isTrustProxy',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `TRUST_PROXY must be a hop count (0-${MAX_HOPS}) or a comma-separated list of IP addresses and CIDR ranges`,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseTrustProxy(value) !== undefined },
    });
  };
}
