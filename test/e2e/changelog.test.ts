import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, makeRepo, run, type TestRepo } from '../helpers/repo.js';

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));

/** A small history: 1.0.0 and 1.1.0 released, a feature and a fix unreleased, remote on GitHub. */
function history(): TestRepo & { hashes: Record<string, string> } {
  const r = makeRepo();
  repos.push(r);
  const hashes: Record<string, string> = {};
  hashes.init = r.commit('feat: initial feature');
  r.tag('v1.0.0');
  hashes.fix1 = r.commit('fix(parser): handle empty input\n\nCloses #3');
  hashes.feat1 = r.commit('feat: add --json');
  r.tag('v1.1.0', { annotated: true });
  hashes.docs = r.commit('docs: explain');
  hashes.feat2 = r.commit('feat(cli)!: rename flag\n\nBREAKING CHANGE: use --out instead of --output');
  hashes.fix2 = r.commit('fix: crash (#9)');
  r.git('remote', 'add', 'origin', 'https://deploy-bot:ghp_TOPSECRET@github.com/acme/app.git');
  return Object.assign(r, { hashes });
}

const gh = 'https://github.com/acme/app';

describe('relmgr changelog', () => {
  it('renders the unreleased commits as the next version', async () => {
    const r = history();
    const full = (h: string) => r.git('rev-parse', h);
    const out = await run(r, ['changelog']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(
      [
        `## [2.0.0](${gh}/compare/v1.1.0...v2.0.0) (2026-11-21)`,
        '',
        '### ⚠ BREAKING CHANGES',
        '',
        '* **cli:** use --out instead of --output',
        '',
        '### Features',
        '',
        `* **cli:** rename flag ([${r.hashes.feat2}](${gh}/commit/${full(r.hashes.feat2 as string)}))`,
        '',
        '### Bug Fixes',
        '',
        `* crash ([#9](${gh}/issues/9)) ([${r.hashes.fix2}](${gh}/commit/${full(r.hashes.fix2 as string)}))`,
        '',
      ].join('\n'),
    );
    expect(out.stdout + out.stderr).not.toMatch(/TOPSECRET|deploy-bot/);
  });

  it('renders any range with --from/--to', async () => {
    const r = history();
    const out = await run(r, ['changelog', '--from', 'v1.0.0', '--to', 'v1.1.0']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^## \[1\.1\.0\]\(https:\/\/github\.com\/acme\/app\/compare\/v1\.0\.0\.\.\.v1\.1\.0\) \(\d{4}-\d{2}-\d{2}\)\n/);
    expect(out.stdout).toContain('* **parser:** handle empty input (');
    expect(out.stdout).toContain(`, closes [#3](${gh}/issues/3)`);
    expect(out.stdout).not.toContain('rename flag');
    // --to alone: from the release before it
    expect((await run(r, ['changelog', '--to', 'v1.1.0'])).stdout).toBe(out.stdout);
    // a range that ends at no tag is "Unreleased"
    expect((await run(r, ['changelog', '--from', 'v1.1.0'])).stdout).toMatch(/^## \[Unreleased\]\(https:\/\/github\.com\/acme\/app\/compare\/v1\.1\.0\.\.\.HEAD\)/);
  });

  it('renders the whole history, newest first, with --all', async () => {
    const r = history();
    const out = await run(r, ['changelog', '--all']);
    expect(out.code).toBe(0);
    const headings = out.stdout.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.map((h) => h.replace(/\(\d{4}-\d{2}-\d{2}\)/, '(date)'))).toEqual([
      `## [1.1.0](${gh}/compare/v1.0.0...v1.1.0) (date)`,
      '## 1.0.0 (date)',
    ]);
    expect(out.stdout).toContain('initial feature');
    expect(out.stdout).not.toContain('rename flag');
  });

  it('prints the release model with --json', async () => {
    const r = history();
    const one = JSON.parse((await run(r, ['changelog', '--json'])).stdout);
    expect(one).toMatchObject({ version: '2.0.0', previousVersion: '1.1.0', tag: 'v2.0.0', previousTag: 'v1.1.0', repoUrl: gh, bump: 'major' });
    expect(one.groups.map((g: { title: string }) => g.title)).toEqual(['Features', 'Bug Fixes']);
    expect(one.commits).toHaveLength(3);
    const all = JSON.parse((await run(r, ['changelog', '--all', '--json'])).stdout);
    expect(all.map((m: { version: string }) => m.version)).toEqual(['1.1.0', '1.0.0']);
  });

  it('writes CHANGELOG.md: inserts under the intro, replaces the same version, never duplicates', async () => {
    const r = history();
    const file = join(r.dir, 'CHANGELOG.md');
    const intro = '# Changelog\n\nHand-written intro.\n\n';
    const old = '## [1.1.0](x) (2026-01-01)\n\n* hand-edited entry\n\n## 1.0.0 (2025-12-01)\n\n* first\n';
    writeFileSync(file, intro + old);
    const first = await run(r, ['changelog', '--write']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/^wrote 2\.0\.0 to .*CHANGELOG\.md\n$/);
    const once = readFileSync(file, 'utf8');
    expect(once.startsWith(`${intro}## [2.0.0](`)).toBe(true);
    expect(once.endsWith(`\n\n${old}`)).toBe(true);
    await run(r, ['changelog', '--write']);
    expect(readFileSync(file, 'utf8')).toBe(once);
    // --all rewrites each release's section in place and keeps the unknown text around them
    await run(r, ['changelog', '--all', '--write']);
    const all = readFileSync(file, 'utf8');
    expect(all.match(/^## \[?1\.1\.0/gm)).toHaveLength(1);
    expect(all).not.toContain('hand-edited entry');
    expect(all.startsWith(intro)).toBe(true);
    expect(all.indexOf('## [2.0.0]')).toBeLessThan(all.indexOf('## [1.1.0]'));
  });

  it('writes to another file and creates it with a title', async () => {
    const r = history();
    expect((await run(r, ['changelog', '--write', 'docs/HISTORY.md'])).code).toBe(0);
    const text = readFileSync(join(r.dir, 'docs/HISTORY.md'), 'utf8');
    expect(text).toMatch(/^# Changelog\n\n.*\n\n## \[2\.0\.0\]/);
  });

  it('renders a custom template', async () => {
    const r = history();
    writeFileSync(join(r.dir, 'mine.hbs'), '{{title}} from {{previousTag}}:{{#each commits}} {{shortHash}}={{type}}{{/each}}\n');
    const out = await run(r, ['changelog', '--template', 'mine.hbs']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`2.0.0 from v1.1.0: ${r.hashes.fix2}=fix ${r.hashes.feat2}=feat ${r.hashes.docs}=docs\n`);
  });

  it('reports a template syntax error with file:line and exit 2, writing nothing', async () => {
    const r = history();
    writeFileSync(join(r.dir, 'bad.hbs'), '## {{title}}\n\n{{#each commits}}\n* {{subject}}\n{{/if}}\n');
    const out = await run(r, ['changelog', '--template', 'bad.hbs', '--write']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^error\[E_TEMPLATE\]: bad\.hbs:3:\d+: template error: each doesn't match if/);
    expect(existsSync(join(r.dir, 'CHANGELOG.md'))).toBe(false);
    const missing = await run(r, ['changelog', '--template', 'nope.hbs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/template nope\.hbs does not exist/);
  });

  it('says so when there is nothing to release, and writes nothing', async () => {
    const r = makeRepo();
    repos.push(r);
    r.commit('feat: a');
    r.tag('v1.0.0');
    r.commit('chore: b');
    const out = await run(r, ['changelog', '--write']);
    expect(out).toEqual({ code: 0, stdout: '', stderr: expect.stringMatching(/nothing to release/) });
    expect(existsSync(join(r.dir, 'CHANGELOG.md'))).toBe(false);
  });

  it('rejects unknown refs and contradictory flags with exit 2', async () => {
    const r = history();
    const bad = await run(r, ['changelog', '--from', 'v9.9.9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from v9\.9\.9 does not name a commit/);
    const both = await run(r, ['changelog', '--all', '--from', 'v1.0.0']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--all cannot be combined with --from\/--to/);
  });

  it('stops quietly when the reader closes the pipe early', async () => {
    const r = history();
    for (let i = 0; i < 4; i++) r.commit(`fix: big ${i}\n\n${'body text\n'.repeat(6000)}`);
    writeFileSync(join(r.dir, 'bodies.hbs'), '{{#each commits}}{{body}}\n{{/each}}');
    const out = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" changelog --template bodies.hbs | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      cwd: r.dir, env: r.env, encoding: 'utf8',
    });
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('0\n');
  });

  it('has no links for a local remote', async () => {
    const r = history();
    r.git('remote', 'set-url', 'origin', '/srv/git/app.git');
    const out = await run(r, ['changelog']);
    expect(out.stdout).toMatch(/^## 2\.0\.0 \(2026-11-21\)\n/);
    expect(out.stdout).not.toContain('](');
  });
});
