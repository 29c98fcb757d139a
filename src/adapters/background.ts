import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';

/**
 * Starts `relmgr <args>` detached from this process, in its own session, its output appended to
 * `log`: the command that started it ends without waiting for it (unref'd, stdin closed).
 */
export async function spawnRelmgr(args: readonly string[], log: string, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, 'a');
  try {
    const child = spawn(process.execPath, [join(packageRoot, 'bin', 'relmgr.js'), ...args], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    child.unref();
  } finally {
    closeSync(fd);
  }
}
