import { type DestinationStream, destination } from 'pino';

/** Where JSON log lines go: stdout by default; tests replace it to read what was logged. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/**
 * Synchronous writes: an asynchronous buffer loses the last lines when the process exits on a
 * signal or a crash, which are the lines that matter most.
 */
export function stdoutDestination(): DestinationStream {
  return destination({ dest: 1, sync: true });
}
