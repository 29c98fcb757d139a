import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, run, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);

// A commit subject that retitles the terminal, recolours, hides text, rings, overwrites and erases.
// (A carriage return in a subject stops it parsing as conventional: it is tested in an error below.)
const EVIL = 'fix: parser \x1b]0;pwned\x07\x1b[31mred\x1b[0m \x1b[8mhidden\x1b[28m\x07 real\bfake\b\b\x9b2J end';
const CLEAN = 'parser red hidden realfake end';
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('terminal control characters from commit messages', () => {
  const project = () => {
    const r = makeProject(repo);
    r.commit(`${EVIL}\n\nbody \x1b[2J\x1b[H`, { file: 'b.txt' });
    return r;
  };

  it('never reach human output, documents or errors', async () => {
    const r = project();
    const changelog = await run(r, ['changelog']);
    expect(changelog.code).toBe(0);
    expect(changelog.stdout).toContain(CLEAN);
    expect(changelog.stdout).not.toMatch(CONTROLS);

    expect((await run(r, ['changelog', '--write'])).code).toBe(0);
    const file = readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8');
    expect(file).toContain(CLEAN);
    expect(file).not.toMatch(CONTROLS);

    const plan = await run(r, ['plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(CLEAN);
    expect(plan.stdout + plan.stderr).not.toMatch(CONTROLS);

    const notes = await run(r, ['notes']);
    expect(notes.stdout).toContain(CLEAN);
    expect(notes.stdout).not.toMatch(CONTROLS);
    const status = await run(r, ['status']);
    expect(status.code).toBe(0);
    expect(status.stdout + status.stderr).not.toMatch(CONTROLS);
    const log = await run(r, ['ledger', 'log']);
    expect(log.stdout + log.stderr).not.toMatch(CONTROLS);

    const bad = await run(r, ['changelog', '--from', 'v\x1b]0;x\x07\x1b[2J\rX']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error\[E_BAD_REF\]: --from vX does not name a commit/);
    expect(bad.stderr).not.toMatch(CONTROLS);
  });

  it('are kept, escaped, in JSON', async () => {
    const r = project();
    const out = await run(r, ['next', '--json']);
    expect(out.stdout).toContain('\\u001b]0;pwned\\u0007');
    expect(out.stdout).not.toMatch(CONTROLS);
    expect(JSON.stringify(JSON.parse(out.stdout))).toContain('\\u001b[31mred');
  });
});
