import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';

/** The auth module's refusals, each with its contract code, built in one place. */
export const AuthErrors = {
  badCredentials: (): AppError => new AppError(ErrorCode.Unauthenticated, 'E-mail or password is wrong.'),
  badRefreshToken: (): AppError =>
    new AppError(ErrorCode.Unauthenticated, 'The refresh token is invalid, expired or revoked.'),
  missingAccessToken: (): AppError => new AppError(ErrorCode.Unauthenticated, 'A valid access token is required.'),
  apiKeyNotAccepted: (): AppError =>
    new AppError(ErrorCode.Unauthenticated, 'API keys are not accepted here; sign in instead.'),
  badApiKey: (): AppError => new AppError(ErrorCode.Unauthenticated, 'The API key is invalid, expired or revoked.'),
  addressNotAllowed: (): AppError =>
    new AppError(ErrorCode.Forbidden, 'This API key may not be used from your address (its allowedIps).'),
  accountGone: (): AppError => new AppError(ErrorCode.Unauthenticated, 'The account no longer exists.'),
  accountDisabled: (): AppError => new AppError(ErrorCode.AccountDisabled, 'This account is disabled.'),
  forbidden: (): AppError => new AppError(ErrorCode.Forbidden, 'You are not allowed to do this.'),
  emailTaken: (): AppError => new AppError(ErrorCode.EmailTaken, 'This e-mail address is already registered.'),
};
