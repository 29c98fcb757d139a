import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { PreconditionError } from '../errors.js';

export interface Lock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One relmgr at a time changes a clone's release (two `cut`s at once would both commit). The lock is
 * a file created exclusively; one left by a process that no longer runs on this host is taken over.
 * Machines sharing a remote are kept apart by the ledger and the atomic push instead.
 */
export async function acquireLock(path: string, what: string): Promise<Lock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid} ${hostname()} ${what}\n`);
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const [pid = '', host = '', ...rest] = (await readFile(path, 'utf8').catch(() => '')).trim().split(' ');
      if (host === hostname() && pid !== '' && !alive(Number(pid))) {
        await rm(path, { force: true });
        continue;
      }
      throw new PreconditionError('E_LOCKED', `another relmgr (pid ${pid || '?'}${host && host !== hostname() ? ` on ${host}` : ''}) is running ${rest.join(' ') || 'in this clone'}`, {
        hint: `wait for it to finish; if it is gone, remove ${path}`,
      });
    }
  }
  throw new PreconditionError('E_LOCKED', `could not take the lock ${path}`, { hint: `remove ${path} if no relmgr is running` });
}
