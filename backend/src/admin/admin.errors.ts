import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';

/** The admin module's refusals, each with its contract code. */
export const AdminErrors = {
  noSuchUser: (): AppError => new AppError(ErrorCode.NotFound, 'No such user.'),
  accountDisabled: (): AppError => new AppError(ErrorCode.AccountDisabled, 'This account is disabled.'),
  notAdmin: (action: string): AppError => new AppError(ErrorCode.Forbidden, `Only an admin can ${action}.`),
  lastAdmin: (): AppError => new AppError(ErrorCode.Forbidden, 'The last enabled admin cannot be demoted or disabled.'),
  invalid: (message: string): AppError => new AppError(ErrorCode.ValidationFailed, message),
};

/**
 * The one place where the admin SQL functions' SQLSTATEs (db/migrations 0006, 0008, 0010) become
 * contract errors. `action` names what was refused ("change prices"); `rules` words the CHECK and
 * parameter violations of that function. Undefined: not a refusal of theirs, so the caller rethrows.
 */
export function adminErrorFor(
  error: unknown,
  action: string,
  rules: { checkViolation?: string; invalidParameter?: string } = {},
): AppError | undefined {
  switch (sqlStateOf(error)) {
    case SqlState.InsufficientPrivilege:
      return AdminErrors.notAdmin(action);
    case SqlState.NoDataFound:
      return AdminErrors.noSuchUser();
    case SqlState.LastAdmin:
      return AdminErrors.lastAdmin();
    case SqlState.CheckViolation:
      return rules.checkViolation === undefined ? undefined : AdminErrors.invalid(rules.checkViolation);
    case SqlState.InvalidParameterValue:
      return rules.invalidParameter === undefined ? undefined : AdminErrors.invalid(rules.invalidParameter);
    default:
      return undefined;
  }
}
