import { type ArgumentMetadata, Logger, ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode, type ValidationIssue } from '#src/contract/index.js';
import { stackFrames } from '#src/logging/error-serializer.js';

function flatten(errors: ValidationError[], parent = ''): ValidationIssue[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Rejects unknown fields and bad values with 400 VALIDATION_FAILED, listing each field's problems.
 *
 * class-transformer and class-validator run on input nobody has vetted yet, and some of their checks
 * throw on shapes they did not foresee (validator's `isEmail` on an unpaired surrogate, `isNumber`'s
 * decimal count on `1e-7`, recursion on deep nesting, which the body parser also bounds). Such input
 * is still the client's mistake: it answers 400, and the log says which check threw so that it can
 * be given a rule of its own (the error's type and where it was thrown, never the input).
 */
class ContractValidationPipe extends ValidationPipe {
  private readonly logger = new Logger('Validation');

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof AppError) throw error;
      this.logger.warn(
        {
          type: error instanceof Error ? error.name : typeof error,
          stack: stackFrames(error),
          dto: metadata.metatype?.name,
        },
        'A validation check threw; answered 400',
      );
      throw new AppError(ErrorCode.ValidationFailed, 'The request is not valid.');
    }
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new AppError(ErrorCode.ValidationFailed, 'The request is not valid.', flatten(errors)),
  });
}
