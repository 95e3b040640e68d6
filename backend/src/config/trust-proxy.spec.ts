import { validateEnvironment } from '#src/config/environment.js';
import { parseTrustProxy } from '#src/config/trust-proxy.js';

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['1', 1],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 192.168.1.7, ::1, fd00::/8', ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8']],
  ])('reads %j as %j', (raw, trusted) => {
    expect(parseTrustProxy(raw)).toEqual(trusted);
  });

  it.each(['loopback', 'true', '11', '10.0.0.0/33', '::1/129', '300.1.1.1', '10.0.0.1,', 'example.com'])(
    'refuses %j at boot, naming the variable',
    (raw) => {
      expect(parseTrustProxy(raw)).toBeUndefined();
      expect(() => validateEnvironment({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY/);
    },
  );

  it('takes METRICS_TOKEN of 16 characters or more only', () => {
    expect(() => validateEnvironment({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(validateEnvironment({ METRICS_TOKEN: 'a-long-enough-token' }).METRICS_TOKEN).toBe('a-long-enough-token');
  });
});
