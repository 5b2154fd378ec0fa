import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Starts nothing: test files that need PostgreSQL or MariaDB start one of each per run, and
    // this stops them after (test/helpers/shared-server.ts).
    globalSetup: ['test/helpers/database-global-setup.ts'],
  },
});
