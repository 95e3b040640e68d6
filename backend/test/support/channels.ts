import { ChannelHealth } from '#src/channels/channel-health.js';
import { ChannelRegistry } from '#src/channels/channel-registry.js';
import type { TestApp } from '#test/support/test-app.js';

/**
 * Turns every channel on again and forgets their health, as an admin re-enabling them would: for
 * suites that make one upstream refuse its key (401, 402) and then go on using it.
 */
export async function restoreChannels(testApp: TestApp): Promise<void> {
  await testApp.database
    .pool()
    .query('UPDATE channels SET enabled = true, disabled_reason = NULL, disabled_at = NULL WHERE NOT enabled');
  testApp.app.get(ChannelRegistry).forget();
  testApp.app.get(ChannelHealth).forgetAll();
}
