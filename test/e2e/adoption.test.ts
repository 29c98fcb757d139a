import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);
const json = (out: { stdout: string }) => JSON.parse(out.stdout) as Record<string, unknown> & { reasons: { subject: string; bump: string; hash: string }[]; warnings: string[] };

describe('adopting relmgr on an existing project', () => {
  it.each<[string[], string]>([
    [['1.0.0', '1.2.3'], '{version}'],
    [['app-v1.0.0', 'app-v1.2.3'], 'app-v{version}'],
  ])('refuses tags %j in another format (exit 3) in next, plan and changelog, and init adopts %s', async (tags, template) => {
    const r = repo();
    r.commit('feat: first');
    for (const tag of tags) r.tag(tag);
    r.commit('fix: after the last release');
    for (const args of [['next'], ['plan', '--dry-run'], ['changelog']]) {
      const out = await run(r, args);
      expect(out.code, args.join(' ')).toBe(3);
      expect(out.stderr).toContain(`error[E_TAG_FORMAT]: no tag matches versioning.tag "v{version}", but 2 tag(s) look like releases in another format, e.g. ${tags[1]}`);
      expect(out.stderr).toContain(`hint: set the format in release.config.yaml, under versioning:  tag: "${template}"`);
    }
    const asJson = await run(r, ['next', '--json']);
    expect(asJson.code).toBe(3);
    expect(JSON.parse(asJson.stdout).error).toMatchObject({ code: 'E_TAG_FORMAT', hint: expect.stringContaining(`tag: "${template}"`) });
    // A deliberate first release in the configured format goes ahead.
    expect(await run(r, ['next', '--release-as', '3.0.0'])).toMatchObject({ code: 0, stdout: '3.0.0\n' });

    const init = await run(r, ['init', '--yes']);
    expect(init.code).toBe(0);
    expect(readFileSync(join(r.dir, 'release.config.yaml'), 'utf8')).toContain(`  tag: "${template}"\n`);
    expect(init.stderr).toContain(`the format of the existing release tags (e.g. ${tags[1]})`);
    expect((await run(r, ['next'])).stdout).toBe('1.2.4\n');
  });

  it('follows a project that switched from 1.2.3 to v1.2.3 tags: init takes the newest format, and the older one is refused', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'package.json'), '{ "name": "x", "version": "0.0.0" }\n');
    for (const tag of ['1.0.0', '1.0.1', '1.1.0', 'v1.2.0', 'v1.2.1']) {
      r.commit(`fix: before ${tag}`);
      r.tag(tag);
    }
    r.commit('feat: a');
    expect((await run(r, ['next'])).stdout).toBe('1.3.0\n');
    const init = await run(r, ['init', '--yes']);
    expect(init.code).toBe(0);
    expect(readFileSync(join(r.dir, 'release.config.yaml'), 'utf8')).toContain('  tag: "v{version}"\n');
    expect(init.stderr).toContain('the format of the existing release tags (e.g. v1.2.1)');
    expect(json(await run(r, ['next', '--json']))).toMatchObject({ current: '1.2.1', next: '1.3.0' });

    // Configured with the older spelling, nothing goes below v1.2.1: next, plan and changelog refuse.
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nversioning:\n  tag: "{version}"\n');
    for (const args of [['next'], ['plan', '--dry-run'], ['changelog']]) {
      const out = await run(r, args);
      expect(out.code, args.join(' ')).toBe(3);
      expect(out.stderr).toContain('error[E_TAG_FORMAT]: the release tag v1.2.1 is above the last release matching versioning.tag "{version}" (1.1.0)');
      expect(out.stderr).toContain('hint: set the format in release.config.yaml, under versioning:  tag: "v{version}"');
    }
  });

  it('lets another package\'s tags be in a monorepo: app-v… is not held back by api/v… or v…', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nversioning:\n  tag: "app-v{version}"\n  files: []\n');
    r.commit('feat: first');
    r.tag('app-v1.0.0');
    r.tag('api/v3.0.0');
    r.tag('v4.0.0');
    r.commit('fix: a');
    expect(await run(r, ['next'])).toMatchObject({ code: 0, stdout: '1.0.1\n' });
  });

  it('warns when --release-as starts the configured format below the project\'s releases in the other spelling', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('1.0.0');
    r.tag('1.2.3');
    r.commit('fix: a');
    const hint = (await run(r, ['next'])).stderr;
    expect(hint).toContain('to make a first release in "v{version}" anyway, name its version: relmgr next --release-as <version>');
    const warning = '--release-as 1.0.1 is below 1.2.3, a release tag of this project: its versions would go backwards (give a version above 1.2.3 to continue from it)';
    expect(await run(r, ['next', '--release-as', '1.0.1'])).toEqual({ code: 0, stdout: '1.0.1\n', stderr: `warning: ${warning}\n` });
    expect(json(await run(r, ['next', '--release-as', '1.0.1', '--json'])).warnings).toEqual([warning]);
    expect(await run(r, ['next', '--release-as', '1.3.0'])).toEqual({ code: 0, stdout: '1.3.0\n', stderr: '' });
    // Another package's tags are not this project's: no warning.
    const mono = repo();
    mono.commit('feat: first');
    mono.tag('api/v5.0.0');
    expect(await run(mono, ['next', '--release-as', '1.0.0'])).toEqual({ code: 0, stdout: '1.0.0\n', stderr: '' });
  });

  it('init keeps v{version} without tags', async () => {
    const r = repo();
    r.commit('feat: first');
    expect((await run(r, ['init', '--yes'])).code).toBe(0);
    expect(readFileSync(join(r.dir, 'release.config.yaml'), 'utf8')).toContain('  tag: "v{version}"\n');
  });

  it.each<[string, string[], string | null]>([
    ['1.4.2', ['feat: a'], '1.5.0'],
    ['1.4.2', ['fix: a'], '1.4.3'],
    ['1.0.0', ['feat: a'], '1.1.0'],
    ['0.0.0', ['feat: a'], '0.1.0'],
    ['0.0.0', ['fix: a'], '0.0.1'],
    ['0.0.0-development', ['fix: a'], '0.1.0'],
    ['1.4.2', ['docs: a'], null],
  ])('without tags, package.json %s + %j → %s', async (version, messages, expected) => {
    const r = repo();
    writeFileSync(join(r.dir, 'package.json'), `{ "name": "x", "version": "${version}" }\n`);
    for (const m of messages) r.commit(m);
    const out = json(await run(r, ['next', '--json']));
    expect(out.next).toBe(expected);
    expect(out.current).toBe(version.includes('-') ? null : version);
  });

  it('bumps from a package.json version bumped by hand past the last tag, and says so', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'package.json'), '{ "name": "x", "version": "1.2.3" }\n');
    r.commit('feat: first');
    r.tag('v1.2.3');
    writeFileSync(join(r.dir, 'package.json'), '{ "name": "x", "version": "1.4.2" }\n');
    r.commit('chore: bump to 1.4.2 by hand');
    r.commit('fix: a');
    const warning = 'package.json has version 1.4.2, ahead of the last release tag v1.2.3: the next version is computed from 1.4.2';
    const out = await run(r, ['next', '--json']);
    expect(json(out)).toMatchObject({ current: '1.4.2', next: '1.4.3', previousTag: 'v1.2.3', warnings: [warning] });
    expect(await run(r, ['next'])).toEqual({ code: 0, stdout: '1.4.3\n', stderr: `warning: ${warning}\n` });
    const plan = await run(r, ['plan', '--dry-run']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('1.4.3 (patch from 1.4.2, normal track)');
  });

  it('refuses to plan a version below one already in a version file (E_VERSION_DOWNGRADE, exit 3)', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'package.json'), '{ "name": "x", "version": "1.2.3" }\n');
    writeFileSync(join(r.dir, 'Cargo.toml'), '[package]\nname = "x"\nversion = "2.0.0"\n');
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nversioning:\n  files: [package.json, Cargo.toml]\n');
    r.commit('feat: first');
    r.tag('v1.2.3');
    r.commit('fix: a');
    const out = await run(r, ['plan', '--dry-run']);
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('error[E_VERSION_DOWNGRADE]: 1.2.4 is below the version already in Cargo.toml (2.0.0): relmgr never writes a version file downward');
    expect(out.stderr).toContain('hint: release a version above 2.0.0: relmgr plan --release-as 2.0.1');
    expect((await run(r, ['plan', '--dry-run', '--release-as', '2.0.1'])).code).toBe(0);
  });

  it.each<[string, string, string, unknown]>([
    ['Cargo.toml', '[package]\nname = "app"\nversion = "1.4.2"\n', '1.5.0', { path: 'Cargo.toml', toml: 'package.version' }],
    ['pyproject.toml', '[project]\nname = "app"\nversion = "1.4.2"\n', '1.5.0', { path: 'pyproject.toml', toml: 'project.version' }],
    ['pyproject.toml', '[tool.poetry]\nname = "app"\nversion = "1.4.2"\n', '1.5.0', { path: 'pyproject.toml', toml: 'tool.poetry.version' }],
    ['VERSION', '1.4.2\n', '1.5.0', 'VERSION'],
  ])('without config, reads the version of %s (no tags), and init lists it', async (file, content, expected, spec) => {
    const r = repo();
    writeFileSync(join(r.dir, file), content);
    r.commit('feat: a');
    expect(await run(r, ['next'])).toMatchObject({ code: 0, stdout: `${expected}\n` });
    expect((await run(r, ['init', '--yes'])).code).toBe(0);
    const config = readFileSync(join(r.dir, 'release.config.yaml'), 'utf8');
    expect(config).toContain(typeof spec === 'string' ? `    - ${spec}\n` : `    - { path: ${file}, toml: ${(spec as { toml: string }).toml} }\n`);
    expect(config).not.toContain('path: VERSION, regex');
    const validate = await run(r, ['validate']);
    expect(validate.code).toBe(0);
    expect(validate.stderr).not.toContain('versioning.files');
    r.commit('chore: adopt relmgr');
    expect((await run(r, ['next'])).stdout).toBe(`${expected}\n`);
    const plan = await run(r, ['plan', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`${expected} (minor from 1.4.2, normal track)`);
  });

  it('reads package.json before Cargo.toml, and init with no version file writes none', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'package.json'), '{ "name": "x", "version": "2.0.0" }\n');
    writeFileSync(join(r.dir, 'Cargo.toml'), '[package]\nname = "app"\nversion = "1.4.2"\n');
    r.commit('fix: a');
    expect((await run(r, ['next'])).stdout).toBe('2.0.1\n');

    const bare = repo();
    bare.commit('feat: a');
    expect((await run(bare, ['init', '--yes'])).code).toBe(0);
    expect(readFileSync(join(bare.dir, 'release.config.yaml'), 'utf8')).toContain('  files: []');
    writeFileSync(join(bare.dir, 'release.config.yaml'), 'schema: relmgr/v1\nversioning:\n  files:\n    - { path: VERSION, regex: "^.*$" }\n');
    const validate = await run(bare, ['validate']);
    expect(validate.code).toBe(0);
    expect(validate.stderr).toContain('release.config.yaml:4:7  versioning.files[0]  warning: VERSION is not in the repository: relmgr plan would refuse it');
  });

  it('reads the first versioning.files entry when there is no package.json', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'VERSION'), '2.3.4\n');
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nversioning:\n  files:\n    - { path: VERSION, regex: "^.*$" }\n');
    r.commit('feat: a');
    expect((await run(r, ['next'])).stdout).toBe('2.4.0\n');
    const low = await run(r, ['next', '--release-as', '2.0.0']);
    expect(low.code).toBe(2);
    expect(low.stderr).toContain('not greater than the current version (VERSION) 2.3.4');
  });
});

describe('history shapes', () => {
  it('cancels a commit and its git revert, in the version and the changelog', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('feat: add export', { file: 'export.txt' });
    r.git('revert', '--no-edit', 'HEAD');
    r.commit('docs: readme');
    const out = await run(r, ['next']);
    expect(out).toEqual({ code: 0, stdout: '', stderr: expect.stringContaining('(skipped: 2 commit(s) cancelled out by their reverts): nothing to release') });
    r.commit('fix: crash');
    expect((await run(r, ['next'])).stdout).toBe('1.0.1\n');
    const changelog = (await run(r, ['changelog'])).stdout;
    expect(changelog).toContain('crash');
    expect(changelog).not.toContain('add export');
  });

  it('keeps a revert of a released commit as a patch', async () => {
    const r = repo();
    r.commit('feat: first');
    r.commit('feat: add export', { file: 'export.txt' });
    r.tag('v1.1.0');
    r.git('revert', '--no-edit', 'HEAD');
    expect((await run(r, ['next'])).stdout).toBe('1.1.1\n');
    expect((await run(r, ['changelog'])).stdout).toContain('### Reverts');
  });

  it('counts a merge with a PR title once, and lists each change once', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'pr-42');
    r.commit('wip', { file: 'a.txt' });
    r.commit('address review', { file: 'b.txt' });
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--no-ff', '-m', 'feat(api): bulk import (#42)', 'pr-42');
    r.git('checkout', '-q', '-b', 'pr-43');
    r.commit('fix(api): reject empty rows', { file: 'c.txt' });
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--no-ff', '-m', 'fix(api): reject empty rows (#43)', 'pr-43');
    const out = json(await run(r, ['next', '--json']));
    expect(out.next).toBe('1.1.0');
    expect(out.reasons.map((x) => x.subject)).toEqual(['reject empty rows', 'bulk import (#42)']);
    const changelog = (await run(r, ['changelog'])).stdout;
    expect(changelog.match(/bulk import/g)).toHaveLength(1);
    expect(changelog.match(/reject empty rows/g)).toHaveLength(1);
  });

  it('says how many merge commits were skipped when there is nothing to release', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'topic');
    r.commit('docs: a', { file: 'a.txt' });
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--no-ff', '-m', "Merge branch 'topic'", 'topic');
    expect((await run(r, ['next'])).stderr).toBe(
      '1 commit(s) since v1.0.0, none of them a feat, fix, perf, revert or breaking change (skipped: 1 merge commit(s) without a conventional message): nothing to release\n',
    );
  });

  it('finds a BREAKING CHANGE footer after 200 KB of message', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit(`fix: big\n\n${'a long body line of text. '.repeat(8000)}\n\nBREAKING CHANGE: the API moved`);
    expect((await run(r, ['next'])).stdout).toBe('2.0.0\n');
    expect((await run(r, ['changelog'])).stdout).toContain('the API moved');
  });

  it('shows the commit whose Release-As footer forced the version, and warns about a malformed one', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    const bad = r.commit('chore: typo\n\nRelease-As: v2');
    const forcing = r.commit('chore: prepare 3.0\n\nRelease-As: 3.0.0');
    r.commit('fix: a');
    const out = await run(r, ['next', '--json']);
    expect(out.code).toBe(0);
    const data = json(out);
    expect(data).toMatchObject({ next: '3.0.0', bump: 'release-as', warnings: [] });
    expect(data.reasons).toEqual([{ hash: forcing, type: 'chore', scope: null, subject: 'prepare 3.0', bump: 'release-as', breaking: false }]);
    r.git('tag', 'v3.0.0');
    r.commit('chore: again\n\nRelease-As: nope');
    r.commit('fix: b');
    const warned = await run(r, ['next', '--json']);
    expect(warned.code).toBe(0);
    expect(json(warned).next).toBe('3.0.1');
    expect(json(warned).warnings).toEqual([expect.stringMatching(/^the Release-As footer of commit [0-9a-f]{7} asks for "nope", which is not a semantic version: the footer is ignored$/)]);
    expect(warned.stderr).toMatch(/^warning: the Release-As footer of commit [0-9a-f]{7} asks for "nope"/m);
    expect(bad).toHaveLength(7);
  });

  it('warns when an emergency patch carries features, and ignores Release-As there', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.3.2');
    r.commit('feat(api): new endpoint\n\nRelease-As: 2.0.0');
    const out = await run(r, ['next', '--track', 'emergency', '--json']);
    expect(json(out).next).toBe('1.3.3');
    expect(json(out).warnings).toEqual([
      expect.stringContaining('the emergency track always bumps patch: the Release-As footer of commit'),
      expect.stringContaining('the emergency patch 1.3.3 carries 1 feature(s)'),
    ]);
    expect((await run(r, ['next', '--track', 'emergency'])).stderr).toContain('warning: the emergency patch 1.3.3 carries 1 feature(s)');
  });

  it('plan --track emergency gives the track as the reason for the patch, and the breaking commit as the warning', async () => {
    const r = repo();
    r.git('config', 'user.email', 'alice@example.com');
    r.git('config', 'user.name', 'Alice');
    r.commit('feat: first');
    r.tag('v1.3.2');
    const breaking = r.commit('feat!: breaking');
    const out = await run(r, ['plan', '--dry-run', '--track', 'emergency', '--reason', 'checkout down']);
    expect(out.code, out.stderr).toBe(0);
    const warning = `the emergency patch 1.3.3 carries 1 breaking change(s) (${breaking} feat!: breaking): a hotfix should carry fixes only`;
    expect(out.stdout).toContain(`Why patch: the emergency track (--track emergency) always releases a patch of the last release\n  warning: ${warning}\n`);
    expect(out.stdout).not.toContain(`Why patch:\n  ${breaking}`);
    expect(out.stderr).toContain(`warning: ${warning}`);
  });

  it('has nothing to release with --pre rc right after rc.0 was tagged', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.3.2');
    r.commit('feat: a');
    r.tag('v1.4.0-rc.0');
    const out = await run(r, ['next', '--pre', 'rc']);
    expect(out).toEqual({ code: 0, stdout: '', stderr: 'no releasable commit since v1.4.0-rc.0: nothing to release\n' });
    r.commit('docs: b');
    expect((await run(r, ['next', '--pre', 'rc'])).stdout).toBe('');
    r.commit('fix: c');
    expect((await run(r, ['next', '--pre', 'rc'])).stdout).toBe('1.4.0-rc.1\n');
  });

  it('changelog --write replaces a stale unreleased section and never touches a tagged one', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.3.0');
    r.commit('feat: search');
    expect((await run(r, ['changelog', '--write'])).code).toBe(0);
    const file = join(r.dir, 'CHANGELOG.md');
    expect(readFileSync(file, 'utf8')).toContain('## 1.4.0');
    r.commit('feat!: new storage');
    expect((await run(r, ['changelog', '--write'])).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('## 2.0.0');
    expect(text).not.toContain('## 1.4.0');
    expect(text.match(/search/g)).toHaveLength(1);
    r.tag('v2.0.0');
    r.commit('fix: late');
    expect((await run(r, ['changelog', '--write'])).code).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('## 2.0.1');
    expect(after).toContain('## 2.0.0');
  });
});
