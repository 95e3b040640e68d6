import { createHash } from 'node:crypto';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ThrottlerOptions, ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#src/common/auth.decorators.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { RateLimitName, rateLimitsOf } from '#src/rate-limit/rate-limit.decorator.js';

const ONE_MINUTE_MS = 60_000;
const reflector = new Reflector();

// The trackers read the body as the untrusted input it is.
type TrackedRequest = FastifyRequest & { user?: AuthenticatedUser };

const clientIp = (request: TrackedRequest): string => request.ip;

/**
 * Each limit counts per its own key; all are per minute, with limits from the environment. The key
 * is the limit and the tracker, not the route (the library's default): a limit named by two routes
 * is one budget, not one per route. Hashed, so no e-mail address or IP sits in Redis in clear.
 */
function limit(name: RateLimitName, perMinute: number, tracker: (request: TrackedRequest) => string): ThrottlerOptions {
  return {
    name,
    ttl: ONE_MINUTE_MS,
    limit: perMinute,
    getTracker: (request) => tracker(request as TrackedRequest),
    generateKey: (_context, trackerKey, throttlerName) =>
      createHash('sha256').update(`${throttlerName}|${trackerKey}`).digest('hex'),
    // A limit applies only to the routes that name it.
    skipIf: (context) => !rateLimitsOf(reflector, context).includes(name),
  };
}

/**
 * The shared counter store. Commands fail at once while Redis is unreachable instead of queueing
 * (ioredis' default), so an outage slows no request: RateLimitGuard decides what a failed count means.
 */
function redisStorage(redisUrl: string): ThrottlerStorageRedisService {
  const storage = new ThrottlerStorageRedisService(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  const logger = new Logger('RateLimit');
  let reported = false;
  storage.redis.on('error', (error: Error) => {
    // ioredis reconnects by itself and reports every failed attempt; say it once per outage.
    if (!reported) logger.warn(`Redis (REDIS_URL) is unreachable: ${error.message}`);
    reported = true;
  });
  storage.redis.on('ready', () => {
    if (reported) logger.log('Redis (REDIS_URL) is reachable again');
    reported = false;
  });
  return storage;
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => {
        const limits = config.rateLimits;
        const redisUrl = config.redisUrl;
        return {
          // With REDIS_URL the counters are shared, so limits hold across every instance; without
          // it each process counts on its own.
          ...(redisUrl === undefined ? {} : { storage: redisStorage(redisUrl) }),
          throttlers: [
            limit(RateLimitName.LoginPerEmail, limits.loginPerMinute, (request) => {
              const email = (request.body as { email?: unknown } | undefined)?.email;
              const normalised = typeof email === 'string' ? email.trim().toLowerCase() : '';
              return `${clientIp(request)}|${normalised}`;
            }),
            limit(RateLimitName.LoginPerIp, limits.loginPerMinute * 10, clientIp),
            limit(RateLimitName.RegisterPerIp, limits.registerPerMinute, clientIp),
            limit(RateLimitName.SessionPerIp, limits.loginPerMinute * 10, clientIp),
            limit(RateLimitName.ChatPerUser, limits.chatPerMinute, (request) => request.user?.id ?? clientIp(request)),
            limit(
              RateLimitName.RedeemPerUser,
              limits.redeemPerMinute,
              (request) => request.user?.id ?? clientIp(request),
            ),
            limit(RateLimitName.RedeemPerIp, limits.redeemPerMinute * 10, clientIp),
          ],
        };
      },
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
