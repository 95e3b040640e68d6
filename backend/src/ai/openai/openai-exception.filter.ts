import { Catch } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toOpenAiError } from '#src/ai/openai/openai-format.js';
import { AllExceptionsFilter } from '#src/common/all-exceptions.filter.js';
import type { ErrorBody } from '#src/contract/index.js';

/** The same codes and statuses as everywhere (docs/errors.md), in OpenAI's `{error: {...}}` body. */
@Catch()
export class OpenAiExceptionFilter extends AllExceptionsFilter {
  protected override send(reply: FastifyReply, body: ErrorBody): void {
    void reply.status(body.statusCode).send(toOpenAiError(body));
  }
}
