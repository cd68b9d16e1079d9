// The distribution tests (npm run test:dist, part of npm test): the release archives, the krew manifest, the npm
// package, start-up loading and shell completion, checked the way users get them. Kept apart from the unit project
// because they build the release (single executables; cached under release/.cache after the first run).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'dist',
    include: ['test/dist/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
