import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode, type ValidationIssue } from '#src/contract/index.js';

function flatten(errors: ValidationError[], parent = ''): ValidationIssue[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Rejects unknown fields and bad values with 400 VALIDATION_FAILED, listing each field's problems. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new AppError(ErrorCode.ValidationFailed, 'The request is not valid.', flatten(errors)),
  });
}
