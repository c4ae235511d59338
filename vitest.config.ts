import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store tests share the real Redis at REDIS_URL; one file at a time keeps their keys apart.
    fileParallelism: true,
    // Kills every child process a test left running (and waits for it), even when the test failed.
    setupFiles: ['test/helpers/setup-children.ts'],
  },
});
