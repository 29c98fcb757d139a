import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Announcement } from '../../src/core/notify/announce.js';
import { readSpool, writeSpool } from '../../src/engine/notify-spool.js';
import { createContext } from '../../src/main.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const out = { write: () => true };

describe('the spool a command hands to the background delivery', () => {
  it('is masked like every other output: an error quoting a URL keeps no password, no token', async () => {
    const root = mkdtempSync(join(tmpdir(), 'relmgr-spool-'));
    dirs.push(root);
    const ctx = createContext({ cwd: root, env: { HOOK_TOKEN: 'tok-9f8e7d6c5b4a' }, stdin: process.stdin, stdout: out, stderr: out });
    const announcement = { event: 'planned', summary: 'p 1.0.0 planned' } as unknown as Announcement;
    const error = 'connection refused: http://bot:hunter2@127.0.0.1:9/hooks/tok-9f8e7d6c5b4a';
    const { spool } = await writeSpool(ctx, root, [{ key: 'k', target: 't', announcement, project: 'p', done: 1, error }]);
    const text = readFileSync(spool, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('tok-9f8e7d6c5b4a');
    expect((await readSpool(ctx, spool))?.items[0]).toMatchObject({ key: 'k', target: 't', done: 1 });
  });
});
