/**
 * The one AbortSignal of one upstream call: it fires when `ms` have passed, or as soon as one of the
 * followed signals fires (the client leaving, a stream's idle limit). `end()` when the call is over.
 *
 * Not `AbortSignal.any([AbortSignal.timeout(ms), …])`: that timer cannot be cancelled, so every
 * call's timer and signals lived on for the whole deadline (30 s) after a call that took a
 * millisecond — at 600 chats/s, 18,000 of them alive at any time for the garbage collector to trace.
 * In CPU per call the two are close (`node bench/sdk-transport.mjs`, docs/benchmarks.md); what this
 * gains is that nothing outlives the call.
 */
export class CallDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly followed: readonly AbortSignal[];
  private expired = false;

  constructor(ms: number, ...followed: AbortSignal[]) {
    this.followed = followed;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
    }, ms);
    for (const signal of followed) {
      if (signal.aborted) this.follow(signal);
      else signal.addEventListener('abort', this.onFollowedAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the deadline itself, not a followed signal, ended the call. */
  get timedOut(): boolean {
    return this.expired;
  }

  end(): void {
    clearTimeout(this.timer);
    for (const signal of this.followed) signal.removeEventListener('abort', this.onFollowedAbort);
  }

  private readonly onFollowedAbort = (event: Event): void => {
    this.follow(event.target as AbortSignal);
  };

  private follow(signal: AbortSignal): void {
    if (!this.controller.signal.aborted) this.controller.abort(signal.reason);
  }
}

/** Aborts when `ms` pass without a `restart()`: the gap allowed between two stream events. */
export class IdleDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;

  constructor(private readonly ms: number) {
    this.timer = this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  restart(): void {
    clearTimeout(this.timer);
    this.timer = this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private arm(): NodeJS.Timeout {
    return setTimeout(() => {
      this.controller.abort(new Error(`no stream event for ${this.ms} ms`));
    }, this.ms);
  }
}
