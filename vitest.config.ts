import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that spawn bin/relmgr.js run dist/: rebuilt first whenever src/ is newer.
    globalSetup: ['test/setup/dist.ts'],
    // Real git in temp dirs: give slow machines room, never time behaviour (speed lives in bench).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' },
  },
});
