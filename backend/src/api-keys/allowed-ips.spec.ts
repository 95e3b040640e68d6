import { addressAllowed, parseIpRange } from '#src/api-keys/allowed-ips.js';

describe('a key’s allowedIps', () => {
  it.each([
    ['203.0.113.7', { address: '203.0.113.7', prefix: 32, family: 'ipv4' }],
    ['203.0.113.0/24', { address: '203.0.113.0', prefix: 24, family: 'ipv4' }],
    ['0.0.0.0/0', { address: '0.0.0.0', prefix: 0, family: 'ipv4' }],
    ['2001:db8::1', { address: '2001:db8::1', prefix: 128, family: 'ipv6' }],
    ['2001:db8::/32', { address: '2001:db8::', prefix: 32, family: 'ipv6' }],
  ])('reads %j', (entry, range) => {
    expect(parseIpRange(entry)).toEqual(range);
  });

  it.each([
    'example.com',
    '203.0.113.0/33',
    '2001:db8::/129',
    '203.0.113.0/',
    '10.0.0.0/8/8',
    '300.1.1.1',
    'fe80::1%eth0',
    ' 10.0.0.1',
    '10.0.0.0/-1',
  ])('refuses %j', (entry) => {
    expect(parseIpRange(entry)).toBeUndefined();
  });

  it.each([
    ['203.0.113.99', ['203.0.113.0/24'], true],
    ['203.0.114.1', ['203.0.113.0/24'], false],
    // An IPv4 client on a dual-stack socket, as Node reports it.
    ['::ffff:203.0.113.99', ['203.0.113.0/24'], true],
    ['::ffff:198.51.100.1', ['203.0.113.0/24'], false],
    ['2001:db8:1::5', ['2001:db8::/32'], true],
    ['2001:db9::5', ['2001:db8::/32'], false],
    ['::1', ['127.0.0.1', '::1'], true],
    ['203.0.113.5', ['2001:db8::/32', '203.0.113.5'], true],
    // Host bits past the prefix do not matter.
    ['10.9.9.9', ['10.1.2.3/8'], true],
    ['203.0.113.5', [], false],
  ])('%s in %j: %s', (address, ranges, allowed) => {
    expect(addressAllowed(address, ranges)).toBe(allowed);
  });

  it('admits no request whose address is unknown (the socket is gone)', () => {
    expect(addressAllowed(undefined, ['0.0.0.0/0', '::/0'])).toBe(false);
    expect(addressAllowed('not an address', ['0.0.0.0/0'])).toBe(false);
  });
});
