import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real git in temp dirs: give slow machines room, never time behaviour (speed lives in bench).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' },
    // Tests that spawn bin/relmgr.js run dist/: rebuilt first whenever src/ is newer.
    globalSetup: ['test/setup/dist.ts'],
    // Child processes, not threads: in-process runs of relmgr install signal handlers. Test files
    // mostly wait on git and relmgr processes, so even 2 cores run two files at once (vitest's
    // default there is one): the integration tests take 24 s instead of 41 s.
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        // Pure logic, no process state: one module graph for every file (about a third faster).
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false },
      },
      { extends: true, test: { name: 'git', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'] } },
    ],
  },
});
