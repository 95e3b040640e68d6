import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from '#src/common/request-id.js';

/** The request's id (X-Request-Id), for logs and usage rows. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  requestIdOf(context.switchToHttp().getRequest<Request>()),
);

/**
 * A signal that fires when the client goes away before its answer was sent, so the work done for it
 * (an upstream AI call) can be abandoned, and not charged.
 */
export const ClientGone = createParamDecorator((_data: unknown, context: ExecutionContext): AbortSignal => {
  const response = context.switchToHttp().getResponse<Response>();
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return controller.signal;
});

/**
 * The JSON body exactly as the client sent it (parsed, not validated or transformed), for fields
 * forwarded upstream as sent. Use it beside a validated `@Body()` DTO, which is what checks it.
 */
export const RawBody = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Record<string, unknown> =>
    (context.switchToHttp().getRequest<Request>().body ?? {}) as Record<string, unknown>,
);
