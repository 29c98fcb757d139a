import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { PreconditionError } from '../errors.js';

export interface Lock {
  release(): Promise<void>;
}

/** Whether a process of this host runs (EPERM: it runs as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This machine: its name, this process, and whether a process of it runs (a negative pid: a process group). */
export interface Host {
  host: string;
  pid: number;
  alive(pid: number): boolean;
}

/** This machine, as phase.started records it and liveness checks it. */
export const thisHost = (): Host => ({ host: hostname(), pid: process.pid, alive });

/**
 * One relmgr at a time changes a clone's release (two `cut`s at once would both commit). The lock is
 * a file created exclusively; one left by a process that no longer runs on this host is taken over.
 * Machines sharing a remote are kept apart by the ledger and the atomic push instead.
 */
export async function acquireLock(path: string, what: string): Promise<Lock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written in full first, then linked into place: link fails if the lock exists, and whoever finds
    // the lock finds it complete (an `open('wx')` then write would show a racer an empty file).
    // Unique per attempt: two racers in one process (or pid reuse) never share a draft.
    const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(draft, `${process.pid} ${hostname()} ${what}\n`);
    try {
      await link(draft, path);
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(draft, { force: true });
    }
    const holder = (await readFile(path, 'utf8').catch(() => '')).trim();
    if (holder === '') continue; // released in the meantime
    const [pid = '', host = '', ...rest] = holder.split(' ');
    if (host === hostname() && !alive(Number(pid))) {
      await rm(path, { force: true });
      continue;
    }
    const command = rest.join(' ') || 'a relmgr command';
    const where = host !== hostname() ? ` on ${host}` : '';
    throw new PreconditionError('E_LOCKED', `another relmgr (pid ${pid}${where}) is running ${command}`, {
      // Not "run it again": once the other command succeeds, running this one again may be wrong (a second cut).
      hint: `wait for ${command} to finish, then see what comes next with: relmgr status; if pid ${pid}${where} is no longer running, remove ${path}`,
    });
  }
  throw new PreconditionError('E_LOCKED', `could not take the lock ${path}: it keeps changing hands`, { hint: `run ${what} again; if no relmgr is running, remove ${path}` });
}
