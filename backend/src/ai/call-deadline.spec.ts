import { setTimeout as sleep } from 'node:timers/promises';
import { CallDeadline, IdleDeadline } from '#src/ai/call-deadline.js';

describe('CallDeadline', () => {
  it('aborts with a TimeoutError when the time is up, and says it timed out', async () => {
    const deadline = new CallDeadline(20);

    await sleep(60);

    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toMatchObject({ name: 'TimeoutError' });
    expect(deadline.timedOut).toBe(true);
  });

  it('aborts with the followed signal’s reason when that fires first, and does not say it timed out', () => {
    const clientGone = new AbortController();
    const deadline = new CallDeadline(10_000, clientGone.signal);

    clientGone.abort(new Error('client closed the connection'));

    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toEqual(new Error('client closed the connection'));
    expect(deadline.timedOut).toBe(false);
    deadline.end();
  });

  it('is aborted at once when a followed signal already was', () => {
    const deadline = new CallDeadline(10_000, AbortSignal.abort(new Error('gone before')));

    expect(deadline.signal.reason).toEqual(new Error('gone before'));
    deadline.end();
  });

  it('after end(), neither the time nor a followed signal aborts it', async () => {
    const clientGone = new AbortController();
    const deadline = new CallDeadline(20, clientGone.signal);

    deadline.end();
    await sleep(60);
    clientGone.abort();

    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.timedOut).toBe(false);
  });
});

describe('IdleDeadline', () => {
  it('aborts once `ms` pass without a restart, and each restart gives the full gap again', async () => {
    const idle = new IdleDeadline(150);

    // 180 ms in all, never 150 ms without an event.
    for (let event = 0; event < 3; event += 1) {
      await sleep(60);
      idle.restart();
    }
    expect(idle.signal.aborted).toBe(false);
    await sleep(400);

    expect(idle.signal.aborted).toBe(true);
    expect(idle.signal.reason).toEqual(new Error('no stream event for 150 ms'));
  });

  it('never aborts after stop()', async () => {
    const idle = new IdleDeadline(20);

    idle.stop();
    await sleep(60);

    expect(idle.signal.aborted).toBe(false);
  });
});
