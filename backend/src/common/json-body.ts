import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
const chatBodies = new WeakMap<FastifyRequest, Buffer>();
/** Likewise for the bodies of `signedBodyPaths`. */
const signedBodies = new WeakMap<FastifyRequest, Buffer>();

/**
 * A chat body exactly as the client sent it. Chats forward fields upstream as sent, but the
 * validation pipe deletes keys such as `__proto__`, `constructor` and `prototype` from the parsed
 * body in place (so that class-transformer cannot be led into prototype pollution): a fresh parse of
 * these bytes is what is forwarded (`@RawBody()`), and checked once more before it is.
 */
export function chatBodyOf(request: FastifyRequest): Buffer | undefined {
  return chatBodies.get(request);
}

/** A signed body (a Stripe event) exactly as received, for verifying its signature; undefined without one. */
export function signedBodyOf(request: FastifyRequest): Buffer | undefined {
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

const mediaTypeOf = (contentType: string): string => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/** `application/json` with no charset or UTF-8, the only form RFC 8259 allows between systems. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined || mediaTypeOf(contentType) !== 'application/json') return false;
  const parameters = contentType
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());
  return parameters.every((parameter) => {
    const [name, value = ''] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || ['utf-8', 'utf8', '"utf-8"'].includes(value);
  });
}

const notJson = (): AppError =>
  new AppError(ErrorCode.UnsupportedMediaType, 'Send the body as JSON: Content-Type application/json (UTF-8).');

/**
 * The limits of the route a request matched (its pattern, so that no spelling of the path gets
 * another route's limits), or of its path when no route matched.
 */
function limitsOf(request: FastifyRequest, configuredBytes: number): BodyLimits {
  const url = request.routeOptions.url ?? request.url;
  const query = url.indexOf('?');
  return bodyLimitsFor(query === -1 ? url : url.slice(0, query), configuredBytes);
}

/**
 * Runs before any body is read, for every method and unknown routes too: a body that is not JSON is
 * 415 (it would otherwise reach the routes as an empty body, or as text decoded from another
 * charset), and a declared length over the route's limit is 413 at once, closing the connection
 * rather than reading the body first.
 */
function admitBody(configuredBytes: number) {
  return (request: FastifyRequest, reply: FastifyReply, _payload: unknown, done: (error?: AppError) => void): void => {
    const raw = request.raw;
    if (!hasBody(raw)) {
      done();
      return;
    }
    if (!isJson(raw.headers['content-type'])) {
      done(notJson());
      return;
    }
    const limits = limitsOf(request, configuredBytes);
    const length = declaredLength(raw);
    if (length !== undefined && length > limits.bytes) {
      reply.header('Connection', 'close');
      done(tooLarge(limits));
      return;
    }
    done();
  };
}

/**
 * Decoders of the standard Content-Encodings a client may compress a body with (zstd only where this
 * Node has it; Node 20 has not).
 */
const decoders = new Map<string, () => Transform>([
  ['gzip', () => zlib.createGunzip()],
  ['deflate', () => zlib.createInflate()],
  ['br', () => zlib.createBrotliDecompress()],
]);
const createZstdDecompress = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
if (createZstdDecompress !== undefined) decoders.set('zstd', createZstdDecompress);

/** The body's bytes as sent, decoded; 415 for an encoding we do not know. */
function decodedStream(request: IncomingMessage): Readable {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return request;
  const decoder = decoders.get(encoding);
  if (decoder === undefined) {
    throw new AppError(
      ErrorCode.UnsupportedMediaType,
      'Send the body as JSON: Content-Type application/json, UTF-8, no or a standard Content-Encoding.',
    );
  }
  return request.pipe(decoder());
}

/**
 * Reads a body, decoded, up to the route's byte limit (a body sent without a length is only measured
 * as it arrives, and a compressed one once inflated); a longer one is 413 as soon as it passes it.
 */
function readBody(
  request: IncomingMessage,
  limits: BodyLimits,
  done: (error: Error | null, body?: Buffer) => void,
): void {
  let stream: Readable;
  try {
    stream = decodedStream(request);
  } catch (error) {
    done(error as Error);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (error: Error | null, body?: Buffer): void => {
    stream.removeListener('data', onData);
    stream.removeListener('end', onEnd);
    stream.removeListener('error', onError);
    if (error !== null && stream !== request) {
      request.unpipe();
      stream.destroy();
    }
    done(error, body);
  };
  function onData(chunk: Buffer): void {
    received += chunk.length;
    if (received > limits.bytes) finish(tooLarge(limits));
    else chunks.push(chunk);
  }
  function onEnd(): void {
    finish(null, Buffer.concat(chunks, received));
  }
  function onError(): void {
    // A connection cut mid-body, or compressed data that does not inflate.
    finish(new AppError(ErrorCode.ValidationFailed, 'The request body could not be read.'));
  }
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const notValidJson = (): AppError => new AppError(ErrorCode.ValidationFailed, 'The request body is not valid JSON.');

/** The first character that is not JSON whitespace (RFC 8259: space, tab, line feed, carriage return). */
function firstSignificant(text: string): string | undefined {
  for (const char of text) {
    if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return char;
  }
  return undefined;
}

/**
 * A body's JSON: an object or an array (a bare string or number is no request of ours), a UTF-8
 * byte-order mark ignored, an empty body read as `{}`.
 */
function parseJson(body: Buffer): unknown {
  const text = (body.subarray(0, 3).equals(UTF8_BOM) ? body.subarray(3) : body).toString('utf8');
  if (text.length === 0) return {};
  const first = firstSignificant(text);
  if (first !== '{' && first !== '[') throw notValidJson();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw notValidJson();
  }
}

/**
 * The one body parser, for every content type (admitBody has refused all but JSON): bytes, then
 * nesting depth and member count checked on the raw bytes before `JSON.parse`, so class-transformer
 * and class-validator only ever see bodies whose work is bounded. Chats and signed bodies keep their
 * bytes (chatBodyOf, signedBodyOf).
 */
function parseBody(configuredBytes: number) {
  return (request: FastifyRequest, payload: IncomingMessage, done: (error: Error | null, body?: unknown) => void) => {
    if (!hasBody(payload)) {
      // A declared empty body: `{}` when it is declared JSON, as an empty JSON body reads; else none.
      const contentType = payload.headers['content-type'];
      const emptyJson = declaredLength(payload) === 0 && mediaTypeOf(contentType ?? '') === 'application/json';
      if (emptyJson && !isJson(contentType)) done(notJson());
      else done(null, emptyJson ? {} : undefined);
      return;
    }
    const limits = limitsOf(request, configuredBytes);
    readBody(payload, limits, (error, body) => {
      if (error !== null || body === undefined) {
        done(error);
        return;
      }
      let parsed: unknown;
      try {
        checkJsonShape(body, limits);
        parsed = parseJson(body);
      } catch (parseError) {
        done(parseError as Error);
        return;
      }
      const route = routeOf(request.routeOptions.url ?? '');
      if (chatPaths.has(route)) chatBodies.set(request, body);
      if (signedBodyPaths.has(route)) signedBodies.set(request, body);
      done(null, parsed);
    });
  };
}

/**
 * JSON bodies, bounded per route (bodyLimitsFor). Fastify's own parsers are replaced: they know
 * neither the per-route limits nor the shape checks, and would answer other content types with an
 * error of their own.
 */
export function useJsonBodies(app: NestFastifyApplication, configuredBytes: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preParsing', admitBody(configuredBytes));
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', parseBody(configuredBytes));
}
