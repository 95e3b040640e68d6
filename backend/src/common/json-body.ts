import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';

/** How much one request body may make the server do before any route code sees it. */
export interface BodyLimits {
  bytes: number;
  /** Object keys plus array items, at every level. */
  members: number;
  depth: number;
}

/**
 * Credentials and tokens: a few short strings. Small enough that nobody signed in can make the
 * public auth routes parse or validate anything sizeable.
 */
const AUTH_BODY_BYTES = 8 * 1024;
const AUTH_BODY_MEMBERS = 64;
/** Admin and key-management bodies: a handful of fields, a reason of up to 500 characters. */
const FORM_BODY_BYTES = 64 * 1024;
const FORM_BODY_MEMBERS = 1_000;
/**
 * A chat: messages of a few keys each, content as text or a few parts, and tool definitions with
 * their JSON schemas. class-transformer's cost grows faster than linearly with keys (60,000 of them
 * took 2.5 s), so this stays far below what the byte limit alone would let through.
 */
const CHAT_BODY_MEMBERS = 10_000;
/** No request of ours nests deeper than a handful of levels; class-transformer recurses per level. */
const MAX_DEPTH = 32;

/** The routes whose bodies are chats; every other body is a small form. */
const chatPaths = new Set(['/api/ai/chat', '/v1/chat/completions', '/api/admin/demo-lab/chat']);

/**
 * Routes whose body is signed by its sender, the signature computed over the exact bytes (Stripe's
 * webhook, docs/top-up.md): kept as received, since a re-serialised parse is not what was signed. The
 * sender's events are larger than our forms, so they get the configured limit.
 */
const signedBodyPaths = new Set(['/api/billing/stripe/webhook']);
const SIGNED_BODY_MEMBERS = 10_000;

const routeOf = (path: string): string => path.toLowerCase().replace(/\/+$/, '');

/** The bytes of each chat body as received, until the request is gone. */
const chatBodies = new WeakMap<IncomingMessage, Buffer>();
/** Likewise for the bodies of `signedBodyPaths`. */
const signedBodies = new WeakMap<IncomingMessage, Buffer>();

/**
 * A chat body exactly as the client sent it. Chats forward fields upstream as sent, but the
 * validation pipe deletes keys such as `__proto__`, `constructor` and `prototype` from the parsed
 * body in place (so that class-transformer cannot be led into prototype pollution): a fresh parse of
 * these bytes is what is forwarded (`@RawBody()`), and checked once more before it is.
 */
export function chatBodyOf(request: IncomingMessage): Buffer | undefined {
  return chatBodies.get(request);
}

/** A signed body (a Stripe event) exactly as received, for verifying its signature; undefined without one. */
export function signedBodyOf(request: IncomingMessage): Buffer | undefined {
  return signedBodies.get(request);
}

/** The limits for a request path (routing ignores case and a trailing slash, so these do too). */
export function bodyLimitsFor(path: string, configuredBytes: number): BodyLimits {
  const route = routeOf(path);
  if (route.startsWith('/api/auth/')) {
    return { bytes: Math.min(AUTH_BODY_BYTES, configuredBytes), members: AUTH_BODY_MEMBERS, depth: MAX_DEPTH };
  }
  if (chatPaths.has(route)) return { bytes: configuredBytes, members: CHAT_BODY_MEMBERS, depth: MAX_DEPTH };
  if (signedBodyPaths.has(route)) return { bytes: configuredBytes, members: SIGNED_BODY_MEMBERS, depth: MAX_DEPTH };
  return { bytes: Math.min(FORM_BODY_BYTES, configuredBytes), members: FORM_BODY_MEMBERS, depth: MAX_DEPTH };
}

const tooLarge = (limits: BodyLimits): AppError =>
  new AppError(ErrorCode.PayloadTooLarge, `The request body is larger than ${limits.bytes} bytes.`);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * One pass over the raw UTF-8 bytes, before `JSON.parse`, counting how deep the text nests and how
 * many members it has (commas plus containers: a container of n members holds n − 1 commas). Bytes
 * inside strings are skipped; every byte of a multi-byte UTF-8 character is ≥ 0x80, so none of them
 * is mistaken for punctuation. Malformed JSON may be miscounted: `JSON.parse` refuses it next anyway.
 */
export function checkJsonShape(body: Buffer, limits: BodyLimits): void {
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    switch (byte) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        depth += 1;
        members += 1;
        if (depth > limits.depth) {
          throw new AppError(ErrorCode.ValidationFailed, `The JSON body nests deeper than ${limits.depth} levels.`);
        }
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        depth -= 1;
        break;
      case COMMA:
        members += 1;
        break;
      default:
        continue;
    }
    if (members > limits.members) {
      throw new AppError(
        ErrorCode.PayloadTooLarge,
        `The JSON body has more than ${limits.members} keys and items in all.`,
      );
    }
  }
}

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

function hasBody(request: IncomingMessage): boolean {
  const length = declaredLength(request);
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length > 0);
}

/** `application/json` with no charset or UTF-8, the only form RFC 8259 allows between systems. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [mediaType = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, value = ''] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || ['utf-8', 'utf8', '"utf-8"'].includes(value);
  });
}

type Next = (error?: unknown) => void;

/**
 * Runs before the parser: a body that is not JSON is 415 (it would otherwise reach the routes as
 * an empty body, or as text the parser decoded from another charset), and a declared length over
 * the route's limit is 413 at once, closing the connection rather than reading the body first.
 */
function admitBody(configuredBytes: number) {
  return (request: IncomingMessage & { path?: string }, response: ServerResponse, next: Next): void => {
    if (!hasBody(request)) {
      next();
      return;
    }
    if (!isJson(request.headers['content-type'])) {
      next(
        new AppError(ErrorCode.UnsupportedMediaType, 'Send the body as JSON: Content-Type application/json (UTF-8).'),
      );
      return;
    }
    const limits = bodyLimitsFor(request.path ?? request.url ?? '/', configuredBytes);
    const length = declaredLength(request);
    if (length !== undefined && length > limits.bytes) {
      response.setHeader('Connection', 'close');
      next(tooLarge(limits));
      return;
    }
    next();
  };
}

/**
 * JSON bodies, bounded per route (bodyLimitsFor): bytes, then nesting depth and member count
 * checked on the raw bytes before `JSON.parse`, so class-transformer and class-validator only ever
 * see bodies whose work is bounded. body-parser reads at most the largest route limit; `verify`
 * applies each route's own (a body sent without a length is only measured once read).
 */
export function useJsonBodies(app: NestExpressApplication, configuredBytes: number): void {
  app.use(admitBody(configuredBytes));
  app.useBodyParser('json', {
    limit: configuredBytes,
    verify: (request: IncomingMessage & { path?: string }, _response: ServerResponse, body: Buffer) => {
      const path = request.path ?? request.url ?? '/';
      const limits = bodyLimitsFor(path, configuredBytes);
      if (body.length > limits.bytes) throw tooLarge(limits);
      checkJsonShape(body, limits);
      if (chatPaths.has(routeOf(path))) chatBodies.set(request, body);
      if (signedBodyPaths.has(routeOf(path))) signedBodies.set(request, body);
    },
  });
}
