import { Injectable, type PipeTransform } from '@nestjs/common';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';

/** A delivery id is a positive bigint; anything else is a 400 here, not a failed cast in SQL. */
@Injectable()
export class DeliveryIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (/^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= 2n ** 63n - 1n) return value;
    throw new AppError(ErrorCode.ValidationFailed, 'The request is not valid.', [
      { field: 'deliveryId', messages: ['deliveryId must be a delivery id'] },
    ]);
  }
}
