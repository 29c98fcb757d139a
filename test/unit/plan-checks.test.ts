import { describe, expect, it } from 'vitest';
import type { ReleaseGit } from '../../src/adapters/git-release.js';
import type { Config } from '../../src/core/config/schema.js';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger, type ReleaseView } from '../../src/core/lifecycle/fold.js';
import { checkPlan, openFailure, type PlanCheckInput } from '../../src/engine/plan-checks.js';
import { isRelmgrError } from '../../src/errors.js';

let n = 0;
const actor = { name: 'A', email: 'a@example.com' };
function ev(type: LedgerEvent['type'], data: Record<string, unknown> = {}, phase?: LedgerEvent['phase']): LedgerEvent {
  n += 1;
  return { v: 1, id: `e${n}`, type, release: '1.0.1', at: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)).toISOString(), actor, data, ...(phase ? { phase } : {}) };
}
const BASE = 'b'.repeat(40);
const CUT = 'c'.repeat(40);
const planned = ev('release.planned', { tag: 'v1.0.1', base: BASE });
const release = (...events: LedgerEvent[]): ReleaseView => foldLedger([planned, ...events]).releases[0] as ReleaseView;
const buildFailed = [ev('phase.started', {}, 'build'), ev('phase.failed', { error: 'x' }, 'build')];
const cutDone = [ev('phase.started', {}, 'build'), ev('phase.succeeded', { commit: CUT, pushed: true }, 'build')];
const testFailed = [...cutDone, ev('phase.started', {}, 'test'), ev('phase.failed', { error: 'x' }, 'test')];
const head = (hash: string, parent = BASE, subject = 'fix: x') => ({ hash, parents: [parent], subject });
const inEnv = (event: LedgerEvent, env: string): LedgerEvent => ({ ...event, env });
const tested = [...cutDone, ev('phase.started', {}, 'test'), ev('phase.succeeded', {}, 'test')];
const deployFailed = [...tested, inEnv(ev('phase.started', {}, 'deploy'), 'staging'), inEnv(ev('phase.failed', { error: 'x' }, 'deploy'), 'staging')];
const rollbackFailed = [...tested, inEnv(ev('phase.started', {}, 'rollback'), 'staging'), inEnv(ev('phase.failed', { error: 'x' }, 'rollback'), 'staging')];

describe('openFailure: can relmgr resume continue the failed release from HEAD?', () => {
  it.each([
    ['build failed, HEAD at the planned commit', release(...buildFailed), head(BASE), { phase: 'build', resumable: true, behind: false }],
    ['build failed, a fix committed since', release(...buildFailed), head('f'.repeat(40)), { phase: 'build', resumable: false, behind: false }],
    ['build interrupted after its commit', release(ev('phase.started', {}, 'build'), ev('phase.interrupted', { signal: 'SIGINT' }, 'build')), head(CUT, BASE, 'chore(release): v1.0.1'), { phase: 'build', resumable: true, behind: false }],
    ['test failed, HEAD at the release commit', release(...testFailed), head(CUT), { phase: 'test', resumable: true, behind: false }],
    ['test failed, a rerun at the planned commit', release(...testFailed), head(BASE), { phase: 'test', resumable: true, behind: false }],
    ['test failed, a fix committed on top', release(...testFailed), head('f'.repeat(40), CUT), { phase: 'test', resumable: false, behind: false }],
    ['deploy failed, HEAD at the release commit', release(...deployFailed), head(CUT), { phase: 'deploy', env: 'staging', resumable: true, behind: false }],
    ['deploy failed, a fix committed on top', release(...deployFailed), head('f'.repeat(40), CUT), { phase: 'deploy', env: 'staging', resumable: false, behind: false }],
    ['rollback failed: it continues from any checkout', release(...rollbackFailed), head('f'.repeat(40), CUT), { phase: 'rollback', env: 'staging', resumable: true, behind: false }],
  ])('%s', (_name, view, at, expected) => {
    expect(openFailure(view, at)).toEqual(expected);
  });

  it.each([
    ['build failed, this clone behind the planned commit', release(...buildFailed), { phase: 'build', resumable: true, behind: true }],
    ['test failed, this clone behind the planned commit (a CI job on an older checkout)', release(...testFailed), { phase: 'test', resumable: true, behind: true }],
  ])('%s: it can go on once fetched, not a fix committed since', (_name, view, expected) => {
    expect(openFailure(view, head('0'.repeat(40)), true)).toEqual(expected);
  });

  it('is null for a release that did not fail', () => {
    expect(openFailure(release(...cutDone), head(CUT))).toBeNull();
    expect(openFailure(release(), head(BASE))).toBeNull();
  });
});

describe('checkPlan', () => {
  const git = (tags: { local?: string; remote?: string } = {}): ReleaseGit =>
    ({
      tagCommit: async () => tags.local,
      remoteTagCommit: async () => tags.remote,
      show: async (_commit: string, path: string) => (path === 'package.json' ? '{ "version": "1.0.0" }\n' : undefined),
    }) as unknown as ReleaseGit;
  const input = (over: Partial<PlanCheckInput> = {}): PlanCheckInput => ({
    version: '1.0.1',
    tag: 'v1.0.1',
    head: BASE,
    branch: 'main',
    allowedBranches: ['main'],
    config: null,
    releaseGit: git(),
    remote: 'origin',
    state: foldLedger([]),
    replacing: null,
    again: 'relmgr plan',
    warn: () => undefined,
    ...over,
  });
  const problems = async (over: Partial<PlanCheckInput>): Promise<{ details: string[]; hint: string | undefined } | null> => {
    try {
      await checkPlan(input(over));
      return null;
    } catch (error) {
      if (!isRelmgrError(error)) throw error;
      expect(error.code).toBe('E_PLAN_PRECONDITIONS');
      expect(error.exitCode).toBe(3);
      return { details: error.details, hint: error.hint };
    }
  };

  it('passes a clean plan', async () => {
    expect(await problems({})).toBeNull();
  });

  it('a version whose tag a release off this branch took (a hotfix): the hint plans the next free patch', async () => {
    const taken = new Set(['v1.0.1', 'v1.0.2']);
    const releaseGit = { ...git(), tagCommit: async (tag: string) => (taken.has(tag) ? 'd'.repeat(40) : undefined) } as unknown as ReleaseGit;
    const found = await problems({ releaseGit, again: 'relmgr plan --replace --reason "stuck"' });
    expect(found?.details[0]).toBe("tag v1.0.1 already exists here (at ddddddd), outside this branch's history: choose another version (--release-as 1.0.3) or merge that release");
    expect(found?.hint).toBe('relmgr plan --replace --reason "stuck" --release-as 1.0.3');
  });

  it.each<[string, Partial<PlanCheckInput>, RegExp]>([
    ['a detached HEAD', { branch: null }, /^HEAD is detached/],
    ['a branch that is not a release branch', { branch: 'topic' }, /^branch topic is not a release branch/],
    ['the tag here', { releaseGit: git({ local: CUT }) }, /^tag v1\.0\.1 already exists here/],
    ['the tag on the remote', { releaseGit: git({ remote: CUT }) }, /^tag v1\.0\.1 already exists on origin/],
    ['the version in the ledger', { state: foldLedger([planned]) }, /^release 1\.0\.1 is already in the ledger \(planned/],
    ['a missing version file', { config: { versioning: { files: ['VERSION'] } } as unknown as Config }, /^versioning\.files names VERSION/],
  ])('refuses %s', async (_name, over, detail) => {
    expect((await problems(over))?.details).toEqual([expect.stringMatching(detail)]);
  });

  it('lets --replace plan the version of the release it replaces again', async () => {
    const state = foldLedger([planned]);
    expect(await problems({ state, replacing: state.open })).toBeNull();
  });

  it('reports everything at once, with the fixes before the command to run again', async () => {
    const found = await problems({ branch: 'topic', releaseGit: git({ remote: CUT }), again: 'relmgr plan --replace' });
    expect(found?.details).toHaveLength(2);
    expect(found?.hint).toBe('git checkout main, then git pull --rebase --tags origin main, then relmgr plan --replace');
  });

  it.each<[string, string, string | null]>([
    // version in package.json, planned version, refused with
    ['1.0.0', '1.0.1', null],
    ['1.0.1', '1.0.1', null],
    ['1.4.2', '1.0.1', 'package.json (1.4.2)'],
    ['1.0.1-rc.0', '1.0.1', null],
    ['2.0.0-rc.0', '1.0.1', 'package.json (2.0.0-rc.0)'],
  ])('never writes a version file downward: package.json %s, planned %s', async (inFile, version, refused) => {
    const releaseGit = { ...git(), show: async (_c: string, path: string) => (path === 'package.json' ? `{ "version": "${inFile}" }\n` : undefined) } as unknown as ReleaseGit;
    const error = await checkPlan(input({ version, releaseGit })).then(
      () => null,
      (e: unknown) => e,
    );
    if (refused === null) return expect(error).toBeNull();
    expect(isRelmgrError(error) && { code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint }).toEqual({
      code: 'E_VERSION_DOWNGRADE',
      exitCode: 3,
      message: `${version} is below the version already in ${refused}: relmgr never writes a version file downward`,
      hint: expect.stringContaining(`relmgr plan --release-as ${inFile === '1.4.2' ? '1.4.3' : '2.0.0'}`),
    });
  });
});
