import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chatBodyOf } from '#src/common/json-body.js';
import { requestIdOf } from '#src/common/request-id.js';

/** The request's id (X-Request-Id), for logs and usage rows. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  requestIdOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

/**
 * A signal that fires when the client goes away before its answer was sent, so the work done for it
 * (an upstream AI call) can be abandoned, and not charged.
 */
export const ClientGone = createParamDecorator((_data: unknown, context: ExecutionContext): AbortSignal => {
  const response = context.switchToHttp().getResponse<FastifyReply>().raw;
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return controller.signal;
});

/**
 * A chat's JSON body exactly as the client sent it: a fresh parse of its bytes (`chatBodyOf`), not the
 * parsed body the validation pipe has checked and trimmed. For fields forwarded upstream as sent; use
 * it beside the validated `@Body()` DTO, and check what is forwarded (`checkForwardedChat`).
 */
export const RawBody = createParamDecorator((_data: unknown, context: ExecutionContext): Record<string, unknown> => {
  const bytes = chatBodyOf(context.switchToHttp().getRequest<FastifyRequest>());
  return bytes === undefined ? {} : (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>);
});
