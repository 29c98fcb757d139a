import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run, useRepos, type TestRepo } from '../helpers/repo.js';

const repo = useRepos(afterEach);
const root = process.getuid?.() === 0;

function project(): TestRepo {
  const r = repo();
  r.commit('feat: first');
  mkdirSync(join(r.dir, 'a-dir'));
  writeFileSync(join(r.dir, 'a-file'), 'text\n');
  return r;
}

/** Runs with --json and returns the error document's code and the exit code; never an internal error. */
async function failure(r: TestRepo, args: string[]): Promise<{ code: number; error: string; message: string }> {
  const out = await run(r, [...args, '--json']);
  expect(out.stderr).not.toMatch(/internal error|This is a bug/);
  const { error } = JSON.parse(out.stdout) as { error: { code: string; message: string; hint: string | null } };
  expect(error.hint).toBeTruthy();
  return { code: out.code, error: error.code, message: error.message };
}

describe('paths that are not what they should be', () => {
  it.each([
    ['-C a file', ['next', '-C', 'a-file'], 2, 'E_NO_DIR', /a-file is a file, not a directory/],
    ['-C a missing directory', ['next', '-C', 'nowhere'], 2, 'E_NO_DIR', /nowhere does not exist/],
    ['-c a directory', ['validate', '-c', 'a-dir'], 3, 'E_UNREADABLE', /cannot read .*a-dir: it is a directory/],
    ['-c a directory (next)', ['next', '-c', 'a-dir'], 3, 'E_UNREADABLE', /a-dir: it is a directory/],
    ['-c a missing file', ['next', '-c', 'missing.yaml'], 2, 'E_CONFIG_MISSING', /missing\.yaml does not exist/],
    ['-c a path through a file', ['next', '-c', 'a-file/x.yaml'], 2, 'E_CONFIG_MISSING', /does not exist/],
    ['--template a directory', ['changelog', '--template', 'a-dir'], 3, 'E_UNREADABLE', /a-dir: it is a directory/],
    ['--template a missing file', ['changelog', '--template', 'nope.hbs'], 2, 'E_TEMPLATE_MISSING', /nope\.hbs does not exist/],
    ['--write a directory', ['changelog', '--write', 'a-dir'], 3, 'E_UNREADABLE', /a-dir: it is a directory/],
    ['--dotenv a directory', ['next', '--dotenv', 'a-dir'], 3, 'E_UNWRITABLE', /cannot write .*a-dir: it is a directory/],
    ['--dotenv in a missing directory', ['next', '--dotenv', 'nowhere/out.env'], 3, 'E_UNWRITABLE', /cannot write .*nowhere\/out\.env: its directory does not exist/],
  ])('%s: a clear error', async (_, args, exit, code, message) => {
    const r = project();
    const out = await failure(r, args);
    expect(out).toMatchObject({ code: exit, error: code });
    expect(out.message).toMatch(message);
  });

  it('a template named in the config that is a directory', async () => {
    const r = project();
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nchangelog:\n  template: a-dir\n');
    expect(await failure(r, ['changelog'])).toMatchObject({ code: 3, error: 'E_UNREADABLE' });
  });

  it('CHANGELOG.md that is a directory', async () => {
    const r = project();
    mkdirSync(join(r.dir, 'CHANGELOG.md'));
    expect(await failure(r, ['changelog', '--write'])).toMatchObject({ code: 3, error: 'E_UNREADABLE' });
  });

  it.skipIf(root).each([
    ['the config', 'release.config.yaml', ['validate']],
    ['a template', 'section.hbs', ['changelog', '--template', 'section.hbs']],
    ['the changelog file', 'CHANGELOG.md', ['changelog', '--write']],
  ])('%s with no read permission (chmod 000)', async (_, file, args) => {
    const r = project();
    writeFileSync(join(r.dir, file), file.endsWith('.yaml') ? 'schema: relmgr/v1\n' : 'x\n');
    chmodSync(join(r.dir, file), 0o000);
    const out = await failure(r, args);
    expect(out).toMatchObject({ code: 3, error: 'E_UNREADABLE' });
    expect(out.message).toMatch(/permission denied/);
  });
});
