import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';

type Project = TestRepo & { bare: string };
const project = useProjects(afterEach, afterAll);
const remote = (r: Project, ref: string) => execFileSync('git', ['ls-remote', r.bare, ref], { encoding: 'utf8' }).trim();

const CONFIG = `schema: relmgr/v1
versioning: { branches: [main] }
phases:
  build: { steps: [ { name: compile, run: "test -z \\"$FAIL_BUILD\\"" } ] }
  deploy: { order: [staging, production] }
environments:
  staging: { deploy: [ { name: ship, run: "true" } ] }
  production: { tier: production, deploy: [ { name: ship, run: "true" } ] }
`;

async function ok(r: Project, args: string[]): Promise<string> {
  const out = await run(r, args);
  expect(out.code, `${args.join(' ')}\n${out.stdout}\n${out.stderr}`).toBe(0);
  return out.stdout;
}

/** Production runs 1.2.0 (deployed by relmgr), main is at 1.4.0 (cut, in staging), and a fix was committed on main since. */
async function scenario(): Promise<{ r: Project; fix: string; full: string }> {
  const r = project(CONFIG);
  await ok(r, ['plan', '--release-as', '1.2.0']);
  for (const step of [['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]) await ok(r, step);
  r.commit('feat: a big feature', { file: 'a.txt', content: 'rewritten for 1.4\n' });
  await ok(r, ['plan', '--release-as', '1.4.0', '--replace', '--reason', 'next']);
  await ok(r, ['cut']);
  await ok(r, ['test']);
  await ok(r, ['deploy', 'staging']);
  const fix = r.commit('fix: the checkout crash', { file: 'fix.txt', content: 'fixed\n' });
  return { r, fix, full: r.git('rev-parse', fix) };
}

describe('the emergency track: a hotfix of the release in production', () => {
  it('plans 1.2.1 from what production runs, cuts it on hotfix/1.2.1 with only the picked commit, and leaves 1.4.0 reachable', async () => {
    const { r, fix, full } = await scenario();
    const mainHead = r.git('rev-parse', 'HEAD');
    // next and the dry run agree with the plan.
    expect(await ok(r, ['next', '--track', 'emergency', '--pick', fix])).toBe('1.2.1\n');
    const dry = JSON.parse(await ok(r, ['plan', '--dry-run', '--json', '--track', 'emergency', '--reason', 'checkout down', '--pick', fix]));
    expect(dry).toMatchObject({ planned: false, version: '1.2.1', branch: 'hotfix/1.2.1', previousVersion: '1.2.0', picks: [full] });
    const planned = await ok(r, ['plan', '--track', 'emergency', '--reason', 'checkout down', '--incident', 'INC-7', '--pick', fix]);
    expect(planned).toContain('Planned demo 1.2.1 (patch from 1.2.0, emergency track)');
    expect(planned).toContain(`  1 commit picked onto v1.2.0 (production runs 1.2.0): ${fix}`);
    expect(planned).toContain('Why patch: the emergency track (--track emergency) always releases a patch of the release it starts from (v1.2.0)');
    const status = JSON.parse(await ok(r, ['status', '--json']));
    expect(status).toMatchObject({ version: '1.2.1', track: 'emergency', incident: 'INC-7', previousVersion: '1.2.0' });
    expect(await ok(r, ['status'])).toContain('  emergency INC-7: checkout down');
    // The normal release in flight survives, reachable by name.
    expect(JSON.parse(await ok(r, ['status', '--json', '--release', '1.4.0']))).toMatchObject({ version: '1.4.0', state: 'deploying' });
    // The notes list the picked commit only; a dry run of the cut changes nothing in git.
    const notes = await ok(r, ['notes']);
    expect(notes).toContain('the checkout crash');
    expect(notes).not.toContain('a big feature');
    const dryCut = await run(r, ['cut', '--dry-run']);
    expect(dryCut.code, dryCut.stderr).toBe(0);
    expect(dryCut.stdout).toContain('git checkout hotfix/1.2.1');
    expect(r.git('symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(r.git('branch', '--list', 'hotfix/*')).toBe('');
    const cut = await run(r, ['cut']);
    expect(cut.code, cut.stderr).toBe(0);
    // The hotfix branch: v1.2.0, the picked commit (with -x), the release commit; nothing of 1.4.0.
    expect(r.git('symbolic-ref', '--short', 'HEAD')).toBe('hotfix/1.2.1');
    const log = r.git('log', '--format=%s', 'v1.2.0..hotfix/1.2.1').split('\n');
    expect(log).toEqual(['chore(release): v1.2.1', 'fix: the checkout crash']);
    expect(r.git('log', '-1', '--format=%b', 'hotfix/1.2.1^')).toContain(`(cherry picked from commit ${full})`);
    expect(readFileSync(join(r.dir, 'a.txt'), 'utf8')).not.toBe('rewritten for 1.4\n');
    expect(JSON.parse(readFileSync(join(r.dir, 'package.json'), 'utf8')).version).toBe('1.2.1');
    const changelog = readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain('the checkout crash');
    expect(changelog).not.toContain('a big feature');
    // Branch and tag were pushed together; main on the remote did not move.
    const tip = r.git('rev-parse', 'HEAD');
    expect(remote(r, 'refs/heads/hotfix/1.2.1')).toBe(`${tip}\trefs/heads/hotfix/1.2.1`);
    expect(remote(r, 'refs/tags/v1.2.1^{}')).toContain(tip);
    expect(r.git('rev-parse', 'main')).toBe(mainHead);
    // The release goes on from its branch: test runs at the release commit.
    await ok(r, ['test']);
    expect(JSON.parse(await ok(r, ['status', '--json']))).toMatchObject({ version: '1.2.1', state: 'tested' });
  });

  it('the release a hotfix replaced in production is to be closed, not monitored', async () => {
    const { r, fix } = await scenario();
    await ok(r, ['plan', '--track', 'emergency', '--reason', 'crash', '--pick', fix]);
    for (const step of [['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]) await ok(r, step);
    // 1.2.0 reached production, then the hotfix replaced it there.
    const old = JSON.parse(await ok(r, ['status', '--json', '--release', '1.2.0'])) as { state: string; next: string };
    expect(old.state).toBe('deployed');
    expect(old.next).toBe('relmgr close --note "…" (production runs another release now)');
    const monitor = await run(r, ['monitor', '--release', '1.2.0']);
    expect(monitor.code).toBe(3);
    expect(monitor.stderr).toContain('error[E_STATE]: production runs 1.2.1 now, not 1.2.0: there is nothing of 1.2.0 to monitor');
    expect(monitor.stderr).toContain('hint: record how it ended: relmgr close --release 1.2.0 --note "…"');
    expect(JSON.parse(await ok(r, ['close', '--release', '1.2.0', '--note', 'replaced by the hotfix', '--json']))).toMatchObject({ version: '1.2.0', state: 'closed', outcome: 'deployed' });
  });

  it('refuses a pick that does not exist or does not apply, recording nothing and leaving git as it was', async () => {
    const { r } = await scenario();
    const conflicting = r.commit('fix: touch what 1.4 rewrote', { file: 'a.txt', content: 'rewritten for 1.4, fixed\n' });
    writeFileSync(join(r.dir, 'scratch.txt'), 'mine\n');
    const before = { head: r.git('rev-parse', 'HEAD'), branch: r.git('symbolic-ref', '--short', 'HEAD'), branches: r.git('branch', '--list'), worktrees: r.git('worktree', 'list'), status: r.git('status', '--porcelain') };
    const ledger = r.git('rev-parse', 'relmgr/ledger');
    const missing = await run(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', 'deadbeef']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[E_PICK]: --pick deadbeef: no such commit here (nothing was recorded)');
    expect(missing.stderr).toContain('hint: fetch it (git fetch --all), or check the hash (git log --oneline), then: relmgr plan --track emergency --reason "down" --pick deadbeef');
    const conflict = await run(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', conflicting]);
    expect(conflict.code).toBe(3);
    expect(conflict.stderr).toContain(`error[E_PICK_CONFLICT]: --pick ${conflicting} does not apply cleanly onto v1.2.0 (the release the hotfix starts from): it conflicts in a.txt`);
    expect(conflict.stderr).toMatch(/hint: pick the commits it builds on too, oldest first \(relmgr plan --track emergency --reason "down" --pick <earlier> [0-9a-f]{7}\)/);
    // Named twice: the hint names it once.
    const twice = await run(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', conflicting, conflicting]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`hint: name each commit once: relmgr plan --track emergency --reason "down" --pick ${conflicting}\n`);
    // A merge: said in words, and the hint does not name it again.
    r.git('checkout', '-q', '-b', 'side', 'HEAD~1');
    r.commit('fix: on the side', { file: 'side.txt' });
    r.git('checkout', '-q', before.branch);
    r.git('merge', '-q', '--no-ff', '--no-edit', 'side');
    const merge = r.git('rev-parse', '--short=7', 'HEAD');
    const merged = await run(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', merge]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain(`error[E_PICK]: --pick ${merge} cannot be picked onto v1.2.0: it is a merge commit (a hotfix carries the fix commits themselves)`);
    expect(merged.stderr).toContain(`hint: list the commits it merged with git log --oneline ${merge}^1..${merge}^2, then: relmgr plan --track emergency --reason "down" --pick <those commits>`);
    r.git('reset', '-q', '--hard', before.head);
    r.git('branch', '-q', '-D', 'side');
    writeFileSync(join(r.dir, 'scratch.txt'), 'mine\n'); // the side commit took it in (r.commit adds everything)
    const inBase = await run(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', 'v1.0.0']);
    expect(inBase.code).toBe(2);
    expect(inBase.stderr).toContain('is already in v1.2.0, the release the hotfix starts from');
    expect(inBase.stderr).toContain('hint: pick only commits v1.2.0 lacks: relmgr plan --track emergency --reason "down" --pick <commit>');
    const notEmergency = await run(r, ['plan', '--pick', conflicting]);
    expect(notEmergency.code).toBe(2);
    expect(notEmergency.stderr).toContain('hint: relmgr plan --track emergency --reason "…" --pick');
    const atCut = await run(r, ['cut', '--pick', conflicting]);
    expect(atCut.code).toBe(2);
    expect(atCut.stderr).toContain('--pick belongs to plan');
    expect({ head: r.git('rev-parse', 'HEAD'), branch: r.git('symbolic-ref', '--short', 'HEAD'), branches: r.git('branch', '--list'), worktrees: r.git('worktree', 'list'), status: r.git('status', '--porcelain') }).toEqual(before);
    expect(r.git('rev-parse', 'relmgr/ledger')).toBe(ledger);
    expect(JSON.parse(await ok(r, ['status', '--json']))).toMatchObject({ version: '1.4.0' });
  });

  it('a cut that fails undoes the hotfix branch and goes back to the checkout it found; resume makes it again', async () => {
    const { r, fix } = await scenario();
    await ok(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', fix]);
    const head = r.git('rev-parse', 'HEAD');
    const untouched = (): void => {
      expect(r.git('symbolic-ref', '--short', 'HEAD')).toBe('main');
      expect(r.git('rev-parse', 'HEAD')).toBe(head);
      expect(r.git('branch', '--list', 'hotfix/*')).toBe('');
      expect(r.git('tag', '--list', 'v1.2.1')).toBe('');
      expect(r.git('status', '--porcelain')).toBe('');
      expect(r.git('worktree', 'list').split('\n')).toHaveLength(1);
    };
    // A build step fails: the checkout goes back to main, the branch is gone.
    const failed = await run(r, ['cut'], { env: { FAIL_BUILD: '1' } });
    expect(failed.code).toBe(20);
    untouched();
    // The remote has a branch of that name: the atomic push is refused after the commit and tag, and all of it is undone.
    execFileSync('git', ['push', '-q', r.bare, 'main:refs/heads/hotfix/1.2.1'], { cwd: r.dir, env: r.env });
    const refused = await run(r, ['resume']);
    expect(refused.code, refused.stderr).toBe(20);
    expect(refused.stderr).toContain('error[E_CUT_FAILED]');
    expect(refused.stderr).toContain('hint: origin already has a branch hotfix/1.2.1: look at it (git fetch origin hotfix/1.2.1), delete it if nothing on it is needed (git push origin --delete hotfix/1.2.1), then relmgr resume\n');
    expect(refused.stderr).toMatch(/undone: tag, commit, files, checkout, branch hotfix\/1\.2\.1/);
    untouched();
    expect(remote(r, 'refs/tags/v1.2.1')).toBe('');
    // Once the way is clear, resume makes the branch again and finishes the cut.
    execFileSync('git', ['push', '-q', r.bare, ':refs/heads/hotfix/1.2.1'], { cwd: r.dir, env: r.env });
    const resumed = await run(r, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(r.git('symbolic-ref', '--short', 'HEAD')).toBe('hotfix/1.2.1');
    expect(r.git('log', '--format=%s', 'v1.2.0..v1.2.1').split('\n')).toEqual(['chore(release): v1.2.1', 'fix: the checkout crash']);
    // Once the hotfix ends, the release it was planned beside is the open one again.
    await ok(r, ['abort', '--reason', 'shipped another way']);
    expect(JSON.parse(await ok(r, ['status', '--json']))).toMatchObject({ version: '1.4.0', state: 'deploying' });
  });

  it('opens beside a release only planned (not a race), with nothing recorded in production: a patch of the last release tag', async () => {
    const r = project(CONFIG);
    await ok(r, ['plan', '--release-as', '1.1.0']);
    const fix = r.commit('fix: urgent', { file: 'urgent.txt' });
    // A branch of the hotfix's name is in the way at plan, not only at cut.
    r.git('branch', 'hotfix/1.0.1', 'v1.0.0');
    const taken = await run(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', fix]);
    expect(taken.code).toBe(3);
    expect(taken.stderr).toContain('error[E_PLAN_PRECONDITIONS]: cannot plan 1.0.1, nothing was recorded:\n  branch hotfix/1.0.1 already exists here: cut creates it for this hotfix');
    r.git('branch', '-D', 'hotfix/1.0.1');
    const plain = await run(r, ['plan', '--track', 'emergency', '--reason', 'down']);
    expect(plain.code).toBe(3);
    expect(plain.stderr).toContain('error[E_RELEASE_OPEN]: release 1.1.0 is already open (planned)');
    expect(await ok(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', fix])).toContain('1 commit picked onto v1.0.0 (nothing recorded in production: the last release tag)');
    const releases = JSON.parse(await ok(r, ['status', '--json', '--release', '1.1.0']));
    expect(releases).toMatchObject({ version: '1.1.0', state: 'planned' });
    expect(JSON.parse(await ok(r, ['status', '--json']))).toMatchObject({ version: '1.0.1', track: 'emergency', state: 'planned' });
    // A second hotfix is in the way of the first: --replace abandons that one, never the normal release.
    const again = await run(r, ['plan', '--track', 'emergency', '--reason', 'down', '--pick', fix]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('error[E_RELEASE_OPEN]: release 1.0.1 is already open (planned)');
    expect(again.stderr).toContain(`or replace it: relmgr plan --track emergency --reason "down" --replace --pick ${fix}\n`);
  });
});
