/**
 * Vitest setup file (vitest.config.ts `setupFiles`): runs in every test file, so no child process
 * started through test/helpers/children.ts outlives the test that started it — passed, failed
 * or timed out (vitest runs after-hooks after a timeout too).
 */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { enterTest, stopChildren } from './children.js';

beforeEach(() => enterTest());
afterEach(async () => {
  const n = await stopChildren('test');
  if (n > 0) console.warn(`[children] stopped ${n} child process(es) the test left running`);
}, 30_000);
afterAll(async () => {
  await stopChildren();
}, 30_000);
