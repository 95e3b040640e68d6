import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '#src/common/app-error.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { ErrorCode } from '#src/contract/index.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (::ffff:127.x.y.z). */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}

/**
 * Who may scrape /metrics, which tells anyone the traffic, the models in use and the credits
 * charged. With METRICS_TOKEN set: whoever presents it as a bearer token, from anywhere (loopback
 * too, since a reverse proxy on the same host makes every client look local). Without it: clients
 * on the loopback interface only, as the client address is known (the socket's peer, or the
 * address TRUST_PROXY's proxies report).
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly tokenDigest: Buffer | undefined;

  constructor(config: AppConfigService) {
    const token = config.metricsToken;
    this.tokenDigest = token === undefined ? undefined : digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.tokenDigest === undefined) {
      if (isLoopback(request.ip)) return true;
      throw new AppError(
        ErrorCode.Forbidden,
        '/metrics answers loopback clients only; set METRICS_TOKEN to scrape it from elsewhere.',
      );
    }
    const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    // Digests of equal length, so the comparison takes the same time whatever was sent.
    if (presented !== undefined && timingSafeEqual(digest(presented), this.tokenDigest)) return true;
    throw new AppError(ErrorCode.Unauthenticated, 'Send METRICS_TOKEN as a bearer token to read /metrics.');
  }
}
