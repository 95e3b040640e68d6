import { Catch } from '@nestjs/common';
import type { Response } from 'express';
import { toOpenAiError } from '#src/ai/openai/openai-format.js';
import { AllExceptionsFilter } from '#src/common/all-exceptions.filter.js';
import type { ErrorBody } from '#src/contract/index.js';

/** The same codes and statuses as everywhere (docs/errors.md), in OpenAI's `{error: {...}}` body. */
@Catch()
export class OpenAiExceptionFilter extends AllExceptionsFilter {
  protected override send(response: Response, body: ErrorBody): void {
    response.status(body.statusCode).json(toOpenAiError(body));
  }
}
