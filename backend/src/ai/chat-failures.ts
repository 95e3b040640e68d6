import type { CompletionResult } from '#src/ai/providers/ai-provider.js';
import { ErrorCode } from '#src/contract/index.js';
import { UsageStatus } from '#src/usage/usage-log.js';

/** Every way a call can end without a whole answer. */
export type CallFailure = Exclude<CompletionResult, { outcome: 'ok' }>;

/** How a failed attempt is logged and answered. */
export interface Failure {
  status: UsageStatus;
  code: ErrorCode;
  /** What went wrong, without what it cost (see `failureMessage`). */
  cause: string;
}

/**
 * The failure table: how each way of failing is logged and which contract code it answers.
 * `timedOut` names the limit that ended the call when one did; an abort without it is the client
 * leaving.
 */
export function failureOf(result: CallFailure, timedOut?: string): Failure {
  switch (result.outcome) {
    case 'aborted':
      return timedOut !== undefined
        ? { status: UsageStatus.Timeout, code: ErrorCode.AiProviderTimeout, cause: `The AI provider ${timedOut}` }
        : {
            status: UsageStatus.ClientClosed,
            code: ErrorCode.AiProviderError,
            cause: 'The client closed the connection; the call was abandoned',
          };
    case 'stalled':
      return {
        status: UsageStatus.Timeout,
        code: ErrorCode.AiProviderTimeout,
        cause: `The AI provider ${timedOut ?? 'went silent'}`,
      };
    case 'empty':
      return {
        status: UsageStatus.EmptyResponse,
        code: ErrorCode.AiEmptyResponse,
        cause: 'The AI provider answered with nothing',
      };
    case 'bad_finish':
      return {
        status: UsageStatus.ProviderError,
        code: ErrorCode.AiProviderError,
        cause: `The AI provider stopped with "${result.finishReason}"`,
      };
    case 'upstream_error':
      if (result.status === 400 || result.status === 422) {
        // The upstream refused the request itself (JSON mode without the word "json", a tool turn
        // without its reasoning): the client's to fix, so a 400 with the upstream's own words.
        return {
          status: UsageStatus.ProviderError,
          code: ErrorCode.ValidationFailed,
          cause: `The AI provider refused the request (HTTP ${result.status}${result.message === undefined ? '' : `: ${result.message}`})`,
        };
      }
      return {
        status: UsageStatus.ProviderError,
        code: ErrorCode.AiProviderError,
        cause: `The AI provider failed${result.status === undefined ? '' : ` (HTTP ${result.status})`}`,
      };
    case 'connection_error':
      return {
        status: UsageStatus.ProviderError,
        code: ErrorCode.AiProviderError,
        cause: 'The AI provider could not be reached',
      };
    case 'unavailable':
      return {
        status: UsageStatus.ProviderError,
        code: ErrorCode.AiProviderError,
        cause: 'No upstream channel is available for this model now',
      };
  }
}

/** The client-facing message: the cause, and what it cost. */
export function failureMessage(failure: Failure, charged: number): string {
  return charged === 0
    ? `${failure.cause}; you were not charged.`
    : `${failure.cause}; you were charged ${charged} credits for the part of the answer you received.`;
}
