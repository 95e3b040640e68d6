import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';

const invalid = (field: string, message: string): AppError =>
  new AppError(ErrorCode.ValidationFailed, 'The request is not valid.', [{ field, messages: [message] }]);

/** The channels module's refusals, each with its contract code. */
export const ChannelErrors = {
  notFound: (): AppError => new AppError(ErrorCode.NotFound, 'No such channel.'),
  notAdmin: (): AppError => new AppError(ErrorCode.Forbidden, 'Only an admin can change channels.'),
  unknownModels: (models: readonly string[]): AppError =>
    invalid('models', `not in the model catalog: ${models.join(', ')} (add a price for them first)`),
  upstreamModelsOutsideModels: (models: readonly string[]): AppError =>
    invalid('upstreamModels', `names models the channel does not serve: ${models.join(', ')}`),
  nameTaken: (): AppError => invalid('name', 'another channel has this name'),
  builtIn: (): AppError =>
    invalid(
      'id',
      'the built-in channel is defined by DEEPSEEK_API_KEY and DEEPSEEK_BASE_URL: only priority, weight and enabled change here',
    ),
};

/** The SQLSTATEs of the channel functions (db/migrations/0011) as contract errors; undefined: rethrow. */
export function channelErrorFor(error: unknown): AppError | undefined {
  switch (sqlStateOf(error)) {
    case SqlState.InsufficientPrivilege:
      return ChannelErrors.notAdmin();
    case SqlState.NoDataFound:
      return ChannelErrors.notFound();
    case SqlState.UniqueViolation:
      return ChannelErrors.nameTaken();
    case SqlState.CheckViolation:
      return ChannelErrors.builtIn();
    default:
      return undefined;
  }
}
