import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/adapters/lock.js';

describe('the clone lock', () => {
  it('lets exactly one of many racers in, and tells the others who holds it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'relmgr-lock-')), 'relmgr.lock');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => acquireLock(path, 'relmgr cut')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason.message)).toBe(`another relmgr (pid ${process.pid}) is running relmgr cut`);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid} ${hostname()} relmgr cut\n`);
  });

  it('lets exactly one in, round after round, when many racers of one process share a pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relmgr-lock-'));
    const path = join(dir, 'relmgr.lock');
    for (let round = 0; round < 20; round++) {
      const results = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => acquireLock(path, `relmgr racer ${i}`)));
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(won).toHaveLength(1);
      // Every loser was told who holds it: none saw a half-written lock or lost its draft to another racer.
      const holder = readFileSync(path, 'utf8');
      expect(holder).toMatch(new RegExp(`^${process.pid} ${hostname()} relmgr racer \\d+\n$`));
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'E_LOCKED', message: `another relmgr (pid ${process.pid}) is running ${holder.trim().split(' ').slice(2).join(' ')}` });
      // No draft is left behind.
      expect(readdirSync(dir)).toEqual(['relmgr.lock']);
      await won[0]?.release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('takes over a lock whose process is gone, and is free again after release', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'relmgr-lock-')), 'relmgr.lock');
    writeFileSync(path, `999999999 ${hostname()} relmgr test\n`);
    const lock = await acquireLock(path, 'relmgr plan');
    await expect(acquireLock(path, 'relmgr plan')).rejects.toMatchObject({ code: 'E_LOCKED', exitCode: 3 });
    await lock.release();
    await (await acquireLock(path, 'relmgr plan')).release();
  });
});

describe('the locked error', () => {
  it('names the command that holds the lock, its pid, and what to do', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'relmgr-lock-')), 'relmgr.lock');
    const held = await acquireLock(path, 'relmgr test');
    const error = await acquireLock(path, 'relmgr cut').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_LOCKED', exitCode: 3, message: `another relmgr (pid ${process.pid}) is running relmgr test` });
    expect((error as { hint: string }).hint).toBe(
      // Not "run relmgr cut again": once the first cut succeeds, a second one is wrong; status names what is next.
      `wait for relmgr test to finish, then see what comes next with: relmgr status; if pid ${process.pid} is no longer running, remove ${path}`,
    );
    await held.release();
  });
});
