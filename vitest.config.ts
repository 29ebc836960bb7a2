import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Temporary folders of the whole run live under one folder, removed at the end (test/helpers/global-tmp.ts).
    globalSetup: ['test/helpers/global-tmp.ts'],
  },
});
