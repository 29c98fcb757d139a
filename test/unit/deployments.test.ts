import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/core/config/schema.js';
import { describeNow, environmentNow, mayRollBack, runningIn, type Deployment } from '../../src/core/lifecycle/deployments.js';
import { deploysAhead, notRunningBefore } from '../../src/core/lifecycle/environments.js';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger, type ReleaseView } from '../../src/core/lifecycle/fold.js';
import { forward } from '../../src/core/lifecycle/next.js';
import { phaseLabel } from '../../src/core/lifecycle/phases.js';
import { phasesAhead } from '../../src/core/lifecycle/walk.js';
import { refuseNotRunning } from '../../src/engine/rollback.js';

const actor = { name: 'A', email: 'a@example.com' };
let t = 0;
/** One deploy or rollback summary, one minute after the one before. */
function d(kind: Deployment['kind'], outcome: Deployment['outcome'], release: string, env: string, to: string | null = null): Deployment {
  t += 1;
  return { kind, outcome, release, env, at: new Date(Date.UTC(2026, 10, 21, 10, t)).toISOString(), actor, production: env === 'production', to };
}
const history = (...ds: Deployment[]): Deployment[] => ds;

describe('environmentNow: what an environment runs now, or that it is in doubt', () => {
  it.each([
    ['nothing yet', [], { version: null, inDoubt: false, candidates: [] }],
    ['a deploy succeeded', [d('deploy', 'succeeded', '1.1.0', 'production')], { version: '1.1.0', inDoubt: false }],
    ['a rollback put back 1.1.0', [d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'succeeded', '1.2.0', 'production'), d('rollback', 'succeeded', '1.2.0', 'production', '1.1.0')], { version: '1.1.0', inDoubt: false }],
    // exit 20 with on_failure: fail — either version
    ['a deploy failed', [d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production')], { version: null, inDoubt: true, candidates: ['1.2.0', '1.1.0'], failed: { kind: 'deploy', release: '1.2.0', to: null } }],
    // exit 22: the deploy failed, then the rollback to 1.1.0 too — neither
    ['the deploy and its rollback failed', [d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production'), d('rollback', 'failed', '1.2.0', 'production', '1.1.0')], { version: null, inDoubt: true, candidates: ['1.2.0', '1.1.0'], failed: { kind: 'rollback', release: '1.2.0', to: '1.1.0' } }],
    ['a failed first deploy', [d('deploy', 'failed', '1.0.0', 'production')], { version: null, inDoubt: true, candidates: ['1.0.0'] }],
    ['resumed: the deploy succeeded after it failed', [d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production'), d('deploy', 'succeeded', '1.2.0', 'production')], { version: '1.2.0', inDoubt: false, candidates: [] }],
    ['a retried rollback succeeded', [d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production'), d('rollback', 'failed', '1.2.0', 'production', '1.1.0'), d('rollback', 'succeeded', '1.2.0', 'production', '1.1.0')], { version: '1.1.0', inDoubt: false }],
    ['another environment does not count', [d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'staging')], { version: '1.1.0', inDoubt: false }],
  ])('%s', (_, ds, expected) => {
    expect(environmentNow(history(...ds), 'production')).toMatchObject(expected);
  });

  it('says when and by whom the version was put there', () => {
    const ds = history(d('deploy', 'succeeded', '1.1.0', 'production'), d('rollback', 'succeeded', '1.2.0', 'production', '1.1.0'));
    expect(environmentNow(ds, 'production')).toMatchObject({ since: ds[1]?.at, by: actor });
  });

  it('describes it as status prints it', () => {
    const failedRollback = history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production'), d('rollback', 'failed', '1.2.0', 'production', '1.1.0'));
    expect(describeNow(environmentNow(failedRollback, 'production'))).toBe('may run neither 1.2.0 nor 1.1.0: the rollback of 1.2.0 failed (relmgr resume retries it)');
    const failedDeploy = history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production'));
    expect(describeNow(environmentNow(failedDeploy, 'production'))).toBe('may run 1.2.0 or 1.1.0: the deploy of 1.2.0 failed (relmgr resume retries it)');
    expect(describeNow(environmentNow([], 'production'))).toBe('runs nothing yet');
    expect(describeNow(environmentNow(history(d('deploy', 'succeeded', '1.1.0', 'production')), 'production'))).toBe('runs 1.1.0');
  });

  it('runningIn still names the last version known to run there (a rollback target)', () => {
    expect(runningIn(history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production')), 'production')).toBe('1.1.0');
  });
});

describe('mayRollBack: an on-demand rollback undoes the release where it runs', () => {
  const hotfixOver = history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'succeeded', '1.3.0', 'staging'), d('deploy', 'succeeded', '1.1.1', 'production'));
  it.each([
    ['it runs there', hotfixOver, 'production', '1.1.1', true],
    ['a hotfix runs there, not this release', hotfixOver, 'production', '1.3.0', false],
    ['never ran there', hotfixOver, 'production', '1.2.0', false],
    ['rolled back already', history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'succeeded', '1.2.0', 'production'), d('rollback', 'succeeded', '1.2.0', 'production', '1.1.0')), 'production', '1.2.0', false],
    ['its deploy failed there (in doubt)', history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production')), 'production', '1.2.0', true],
    ['its rollback failed there (in doubt)', history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'failed', '1.2.0', 'production'), d('rollback', 'failed', '1.2.0', 'production', '1.1.0')), 'production', '1.2.0', true],
  ])('%s', (_, ds, env, version, expected) => {
    expect(mayRollBack(environmentNow(ds, env), version)).toBe(expected);
  });
});

describe('promotion: the environments before must run the release now', () => {
  let n = 0;
  function ev(type: LedgerEvent['type'], data: Record<string, unknown> = {}, phase?: LedgerEvent['phase'], env?: string): LedgerEvent {
    n += 1;
    return { v: 1, id: `e${n.toString(16).padStart(7, '0')}`, type, release: '1.3.0', at: new Date(Date.UTC(2026, 10, 21, 9, 0, 0, n)).toISOString(), actor, data, ...(phase ? { phase } : {}), ...(env ? { env } : {}) };
  }
  const ran = (phase: NonNullable<LedgerEvent['phase']>, env?: string): LedgerEvent[] => [ev('phase.started', {}, phase, env), ev('phase.succeeded', {}, phase, env)];
  const config = configSchema.parse({ phases: { deploy: { order: ['staging', 'production'] } }, environments: { staging: {}, production: {} } });
  const inStaging = (): ReleaseView => foldLedger([ev('release.planned', { tag: 'v1.3.0', base: 'abc' }), ...ran('build'), ...ran('test'), ...ran('deploy', 'staging')]).releases[0] as ReleaseView;
  // 1.3.0 went to staging; then hotfix 1.1.1 went to staging and production.
  const hotfixSince = history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'succeeded', '1.3.0', 'staging'), d('deploy', 'succeeded', '1.1.1', 'staging'), d('deploy', 'succeeded', '1.1.1', 'production'));
  const stillThere = history(d('deploy', 'succeeded', '1.1.0', 'production'), d('deploy', 'succeeded', '1.3.0', 'staging'));

  it('notRunningBefore names what runs there instead', () => {
    expect(notRunningBefore(config, 'production', inStaging(), hotfixSince)).toMatchObject([{ env: 'staging', now: { version: '1.1.1' } }]);
    expect(notRunningBefore(config, 'production', inStaging(), stillThere)).toEqual([]);
  });

  it('the walk and Next go through staging again; without the history as before', () => {
    expect(deploysAhead(inStaging(), config, hotfixSince)).toEqual(['staging', 'production']);
    expect(deploysAhead(inStaging(), config, stillThere)).toEqual(['production']);
    expect(deploysAhead(inStaging(), config)).toEqual(['production']);
    expect(phasesAhead(inStaging(), config, hotfixSince).map(phaseLabel)).toEqual(['deploy staging', 'deploy production', 'feedback']);
    expect(forward(inStaging(), config, hotfixSince)).toBe('relmgr deploy staging --redeploy');
    expect(forward(inStaging(), config, stillThere)).toBe('relmgr deploy production');
  });
});

describe('refuseNotRunning: the rollback rule with the release view', () => {
  let n = 0;
  function ev(type: LedgerEvent['type'], data: Record<string, unknown> = {}, phase?: LedgerEvent['phase'], env?: string): LedgerEvent {
    n += 1;
    return { v: 1, id: `f${n.toString(16).padStart(7, '0')}`, type, release: '1.2.0', at: new Date(Date.UTC(2026, 10, 21, 10, 1, 30, n)).toISOString(), actor, data, ...(phase ? { phase } : {}), ...(env ? { env } : {}) };
  }
  // 1.2.0's deploy to production failed (its attempt started at 10:01:30, between the summaries below).
  const failedThere = (): ReleaseView =>
    foldLedger([ev('release.planned', { tag: 'v1.2.0', base: 'abc' }), ev('phase.started', {}, 'deploy', 'production'), ev('phase.failed', {}, 'deploy', 'production')]).releases[0] as ReleaseView;
  const at = (minute: number, ds: Deployment): Deployment => ({ ...ds, at: new Date(Date.UTC(2026, 10, 21, 10, minute)).toISOString() });

  it('allows it while the failed deploy leaves the environment in doubt, refuses once another release succeeded there since', () => {
    const inDoubt = [at(0, d('deploy', 'succeeded', '1.1.0', 'production')), at(2, d('deploy', 'failed', '1.2.0', 'production'))];
    expect(() => refuseNotRunning(failedThere(), 'production', environmentNow(inDoubt, 'production'), inDoubt)).not.toThrow();
    const hotfixSince = [...inDoubt, at(5, d('deploy', 'succeeded', '1.1.1', 'production'))];
    expect(() => refuseNotRunning(failedThere(), 'production', environmentNow(hotfixSince, 'production'), hotfixSince)).toThrow(/^1\.2\.0 does not run in production \(it runs 1\.1\.1 since 2026-11-21 10:05 UTC\)/);
    try {
      refuseNotRunning(failedThere(), 'production', environmentNow(hotfixSince, 'production'), hotfixSince);
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_NO_ROLLBACK', exitCode: 3, hint: 'to put back 1.1.0, roll back what runs there: relmgr rollback production --release 1.1.1 --reason "…"' });
    }
  });
});
