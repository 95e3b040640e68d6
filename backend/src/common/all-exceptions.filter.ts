import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toOpenAiError } from '#src/ai/openai/openai-format.js';
import { AppError } from '#src/common/app-error.js';
import { errorCodeForHttpStatus, httpStatusForErrorCode } from '#src/common/error-status.js';
import { requestIdOf } from '#src/common/request-id.js';
import { type ErrorBody, ErrorCode } from '#src/contract/index.js';
import { isDatabaseUnavailable, SqlState, sqlStateOf } from '#src/database/sql-state.js';

/** Errors of the console's file server (`@fastify/send`, http-errors) carry their status on the error itself. */
interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
}

/** The OpenAI-compatible API (routing ignores case); `url` is the request target, query included. */
const isOpenAiPath = (url: string): boolean => /^\/v1(\/|\?|$)/i.test(url);

const pathOf = (url: string): string => url.split('?', 1)[0] ?? url;

/** PostgreSQL refusing a character: `text` cannot hold U+0000, nor the encoding an unpaired surrogate. */
const unstorableTextStates = new Set<string>([SqlState.CharacterNotInRepertoire, SqlState.UntranslatableCharacter]);

/** The message when the thrower gave none (framework errors); domain errors bring their own. */
const defaultMessages: Record<ErrorCode, string> = {
  [ErrorCode.ValidationFailed]: 'The request is not valid.',
  [ErrorCode.Unauthenticated]: 'Authentication is required.',
  [ErrorCode.InsufficientCredits]: 'Not enough credits for this request.',
  [ErrorCode.Forbidden]: 'You are not allowed to do this.',
  [ErrorCode.AccountDisabled]: 'This account is disabled.',
  [ErrorCode.BudgetExceeded]: 'This request would pass a spend budget of the current period.',
  [ErrorCode.ModelNotAllowed]: 'This API key may not use this model.',
  [ErrorCode.NotFound]: 'Not found.',
  [ErrorCode.ConcurrentSpend]: 'Another request took the credits first; retry.',
  [ErrorCode.EmailTaken]: 'This e-mail address is already registered.',
  [ErrorCode.IdempotencyInProgress]: 'A request with this Idempotency-Key is still in progress.',
  [ErrorCode.CodeAlreadyRedeemed]: 'This redemption code has already been redeemed.',
  [ErrorCode.CodeExpired]: 'This redemption code has expired.',
  [ErrorCode.PayloadTooLarge]: 'The request body is too large.',
  [ErrorCode.UnsupportedMediaType]:
    'Send the body as JSON: Content-Type application/json, UTF-8, no or a standard Content-Encoding.',
  [ErrorCode.IdempotencyKeyReused]: 'This Idempotency-Key was used with a different request.',
  [ErrorCode.RateLimited]: 'Too many requests; retry later.',
  [ErrorCode.AiProviderError]: 'The AI provider failed; you were not charged.',
  [ErrorCode.AiProviderTimeout]: 'The AI provider did not answer in time; you were not charged.',
  [ErrorCode.AiEmptyResponse]: 'The AI provider answered with nothing; you were not charged.',
  [ErrorCode.Internal]: 'Something went wrong on our side.',
  [ErrorCode.ServiceUnavailable]: 'The service is temporarily unavailable.',
};

/**
 * Turns every error into the contract's error body (docs/errors.md). Client errors keep a safe message;
 * anything unexpected becomes 500 INTERNAL, logged once with the request id and never echoed.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = requestIdOf(request);
    const body = this.toBody(exception, requestId);

    if (body.code === ErrorCode.Internal) {
      this.logger.error(
        { err: exception, requestId, method: request.method, path: pathOf(request.url) },
        'Unhandled error',
      );
    } else if (body.code === ErrorCode.ServiceUnavailable && !(exception instanceof HttpException)) {
      this.logger.warn({ err: exception, requestId }, 'Database unavailable');
    }
    if (reply.raw.headersSent) {
      // A streamed response already started; all that is left is to end it.
      if (!reply.raw.writableEnded) reply.raw.end();
      return;
    }
    reply.header('X-Request-Id', requestId);
    // Errors raised before a /v1 route runs (the body parser's 413, 415, bad JSON) reach this global
    // filter, not the route's own: OpenAI clients get OpenAI's error shape from them too.
    if (isOpenAiPath(request.url)) {
      void reply.status(body.statusCode).send(toOpenAiError(body));
      return;
    }
    this.send(reply, body);
  }

  /** Writes the error; the OpenAI-compatible routes override this to answer in OpenAI's shape. */
  protected send(reply: FastifyReply, body: ErrorBody): void {
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown, requestId: string): ErrorBody {
    if (exception instanceof AppError) {
      return this.body(exception.code, exception.message, requestId, exception.details);
    }
    if (exception instanceof HttpException) {
      const code = errorCodeForHttpStatus(exception.getStatus());
      // Framework messages for client errors are safe and useful ("Cannot GET /x"); server ones are not.
      const message = code === ErrorCode.Internal ? undefined : this.messageOf(exception);
      const details = code === ErrorCode.ServiceUnavailable ? this.detailsOf(exception) : undefined;
      return this.body(code, message, requestId, details);
    }
    if (isDatabaseUnavailable(exception)) {
      return this.body(ErrorCode.ServiceUnavailable, undefined, requestId);
    }
    if (unstorableTextStates.has(sqlStateOf(exception) ?? '')) {
      // Labels are made storable and identifiers refused by their DTOs (common/validators.ts); text
      // that still reaches a `text` column with U+0000 in it is the request's, not a fault of ours.
      return this.body(
        ErrorCode.ValidationFailed,
        'The request contains text that cannot be stored (U+0000 or an unpaired surrogate).',
        requestId,
      );
    }
    const httpLike = (typeof exception === 'object' && exception !== null ? exception : {}) as HttpLikeError;
    const status = typeof httpLike.status === 'number' ? httpLike.status : httpLike.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500 && httpLike.expose === true) {
      return this.body(errorCodeForHttpStatus(status), undefined, requestId);
    }
    return this.body(ErrorCode.Internal, undefined, requestId);
  }

  private body(
    code: ErrorCode,
    message: string | undefined,
    requestId: string,
    details?: ErrorBody['details'],
  ): ErrorBody {
    const statusCode = httpStatusForErrorCode(code);
    return {
      statusCode,
      code,
      message: message ?? defaultMessages[code],
      requestId,
      ...(details === undefined ? {} : { details }),
    };
  }

  private messageOf(exception: HttpException): string | undefined {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message) && message.every((part) => typeof part === 'string')) return message.join('; ');
    return undefined;
  }

  private detailsOf(exception: HttpException): Record<string, unknown> | undefined {
    const response = exception.getResponse();
    return typeof response === 'object' ? (response as Record<string, unknown>) : undefined;
  }
}
