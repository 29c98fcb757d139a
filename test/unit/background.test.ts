import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRelmgr } from '../../src/adapters/background.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a background relmgr', () => {
  it('that cannot be started says so in its log (and the caller hears of it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relmgr-bg-'));
    dirs.push(dir);
    const log = join(dir, 'logs', 'notify', 'x.log');
    await expect(spawnRelmgr(['notify', '--deliver', 'x.json'], log, join(dir, 'no-such-dir'), {})).rejects.toThrow(/ENOENT/);
    expect(readFileSync(log, 'utf8')).toMatch(/^\S+ relmgr notify --deliver x\.json could not be started: .*ENOENT/);
  });
});
