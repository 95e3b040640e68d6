import { createHmac } from 'node:crypto';
import { runtimeLoginPassword, runtimeLoginUrl } from '#src/database/runtime-login.js';

describe('runtimeLoginPassword', () => {
  it('is DATABASE_APP_PASSWORD when that is set', () => {
    expect(runtimeLoginPassword('postgresql://owner:secret@db:5432/app', 'configured-password-123')).toBe(
      'configured-password-123',
    );
  });

  it('is derived from the owner password alone, so every instance and database of the cluster agrees', () => {
    const derived = runtimeLoginPassword('postgresql://owner:s%40cret@db:5432/app', undefined);

    expect(derived).toBe(createHmac('sha256', 's@cret').update('creditgate_app runtime login').digest('base64url'));
    expect(runtimeLoginPassword('postgres://other:s%40cret@10.0.0.9/another?sslmode=require', undefined)).toBe(derived);
    expect(runtimeLoginPassword('postgresql://owner:secret2@db:5432/app', undefined)).not.toBe(derived);
    expect(derived).not.toContain('s@cret');
  });

  it('cannot be derived from an owner URL without a password', () => {
    expect(() => runtimeLoginPassword('postgresql://owner@db:5432/app', undefined)).toThrow(/DATABASE_APP_PASSWORD/);
  });
});

describe('runtimeLoginUrl', () => {
  it('keeps the owner URL’s server, database and parameters, with the runtime login', () => {
    const url = new URL(
      runtimeLoginUrl('postgresql://owner:secret@db.internal:6543/app?sslmode=require', 'p@ss:w/rd %'),
    );

    expect(url.username).toBe('creditgate_app');
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd %');
    expect(`${url.host}${url.pathname}${url.search}`).toBe('db.internal:6543/app?sslmode=require');
  });

  it('asks for a host when the URL has none', () => {
    expect(() => runtimeLoginUrl('postgresql:///app?host=/var/run/postgresql', 'x')).toThrow(/must name a host/);
  });
});
