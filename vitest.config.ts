import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/scenarios/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/tui/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          // Every test removes the temporary folders it creates (checked at the end of the run).
          globalSetup: ['test/helpers/tmp-guard.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'oracle',
          include: ['test/oracle/**/*.test.ts'],
          testTimeout: 3_600_000,
          hookTimeout: 3_600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
