import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store tests share the real Redis at REDIS_URL; one file at a time keeps their keys apart.
    fileParallelism: true,
  },
});
