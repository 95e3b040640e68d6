import { BlockList, isIP } from 'node:net';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** One entry of a key's `allowedIps`: an address, or a CIDR range of either family. */
interface IpRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * `203.0.113.7`, `203.0.113.0/24`, `2001:db8::1` or `2001:db8::/32`; undefined for anything else
 * (a host name, a prefix out of range, a zone index such as `fe80::1%eth0`, which names an interface
 * of the server and not a client).
 */
export function parseIpRange(entry: string): IpRange | undefined {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0 || address.includes('%')) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  if (prefix === undefined) return { address, prefix: bits, family };
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return undefined;
  return { address, prefix: Number(prefix), family };
}

/**
 * Whether `clientAddress` (as Fastify reports it in `request.ip`) lies in one of `ranges`. Node's
 * BlockList does the matching: IPv4 and IPv6, host bits beyond the prefix ignored, and an IPv4 client
 * that reaches a dual-stack socket as `::ffff:203.0.113.7` matched against IPv4 ranges. No address
 * (the socket already gone) matches nothing.
 */
export function addressAllowed(clientAddress: string | undefined, ranges: readonly string[]): boolean {
  const version = clientAddress === undefined ? 0 : isIP(clientAddress);
  if (clientAddress === undefined || version === 0) return false;
  const list = new BlockList();
  for (const entry of ranges) {
    const range = parseIpRange(entry);
    // Entries were validated when stored; one that no longer parses admits nobody.
    if (range !== undefined) list.addSubnet(range.address, range.prefix, range.family);
  }
  return list.check(clientAddress, version === 4 ? 'ipv4' : 'ipv6');
}

/** Each item is an address or a CIDR range that `parseIpRange` reads. */
export function IsIpRange(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isIpRange',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          'each of $property must be an IPv4 or IPv6 address or CIDR range, such as 203.0.113.0/24 or 2001:db8::/32',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseIpRange(value) !== undefined },
    });
  };
}
