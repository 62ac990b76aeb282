import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    // The UI tests drive Ink as an operator's interactive terminal would. Ink reads CI (via
    // is-in-ci, once, at import) and in CI renders only the last frame: CI runs must not
    // change what the screen under test does. (The pty tests clear CI for their child too.)
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end files start real daemons and processes, so keep files few at once.
    maxWorkers: 2,
  },
});
