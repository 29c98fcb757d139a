import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';

/**
 * Starts `relmgr <args>` detached from this process, in its own session, its output appended to
 * `log`: the command that started it ends without waiting for it (unref'd, stdin closed). When it
 * cannot be started, the log says so too (and the promise rejects).
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
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', () => resolve());
        child.once('error', reject);
      });
    } catch (error) {
      writeSync(fd, `${new Date().toISOString()} relmgr ${args.join(' ')} could not be started: ${(error as Error).message}\n`);
      throw error;
    }
    child.unref();
  } finally {
    closeSync(fd);
  }
}
