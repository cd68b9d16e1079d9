// The real-terminal test of the interactive UI (tmux). Not part of the unit project: it needs the built CLI and
// tmux. Run: npx vitest run --config test/tui/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/tui/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
