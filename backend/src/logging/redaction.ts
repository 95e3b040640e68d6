/**
 * Paths pino censors in every log line. Request logs carry no headers or bodies at all (see the
 * serializers in logging.module.ts); this list is the second line of defence for objects that
 * code logs on purpose (an error with its request, a config object, a DTO).
 */
export const redactedLogPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.Authorization',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
  '*.key',
  '*.secret',
  '*.jwtSecret',
  '*.databaseUrl',
  'err.config.headers',
  'err.headers',
  // PostgreSQL's error fields that quote data (the err serializer already leaves them out).
  '*.detail',
  '*.where',
  '*.hint',
  '*.internalQuery',
  '*.parameters',
];
