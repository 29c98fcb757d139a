import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/core/config/schema.js';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger, type ReleaseView } from '../../src/core/lifecycle/fold.js';
import { nextCommand } from '../../src/core/lifecycle/next.js';
import { phaseLabel } from '../../src/core/lifecycle/phases.js';
import { closable, outcomeOf, phasesAhead } from '../../src/core/lifecycle/walk.js';

let n = 0;
const actor = { name: 'A', email: 'a@example.com' };
function ev(type: LedgerEvent['type'], data: Record<string, unknown> = {}, phase?: LedgerEvent['phase'], env?: string): LedgerEvent {
  n += 1;
  return { v: 1, id: `e${n.toString(16).padStart(7, '0')}`, type, release: '1.0.0', at: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)).toISOString(), actor, data, ...(phase ? { phase } : {}), ...(env ? { env } : {}) };
}
const ran = (phase: NonNullable<LedgerEvent['phase']>, end: 'succeeded' | 'failed' = 'succeeded', env?: string, result: Record<string, unknown> = {}): LedgerEvent[] => [ev('phase.started', {}, phase, env), ev(`phase.${end}`, result, phase, env)];

const envs = configSchema.parse({ phases: { deploy: { order: ['staging', 'production'] }, monitor: { steps: [{ run: 'true' }] } }, environments: { staging: {}, production: {} } });
const bare = configSchema.parse({});

function release(...events: LedgerEvent[][]): ReleaseView {
  n = 0;
  const state = foldLedger([ev('release.planned', { tag: 'v1.0.0', base: 'abc' }), ...events.flat()]);
  return state.releases[0] as ReleaseView;
}
const planned = () => release();
const tested = () => release(ran('build', 'succeeded', undefined, { commit: 'c' }), ran('test'));
const inStaging = () => release(ran('build'), ran('test'), ran('deploy', 'succeeded', 'staging', { production: false }));
const inProduction = () => release(ran('build'), ran('test'), ran('deploy', 'succeeded', 'staging', { production: false }), ran('deploy', 'succeeded', 'production', { production: true }));
const monitored = () => release(ran('build'), ran('test'), ran('deploy', 'succeeded', 'staging'), ran('deploy', 'succeeded', 'production', { production: true }), ran('monitor'));
const monitorFailed = () => release(ran('build'), ran('test'), ran('deploy', 'succeeded', 'staging'), ran('deploy', 'succeeded', 'production', { production: true }), ran('monitor', 'failed'));
const rolledBack = () => release(ran('build'), ran('test'), ran('deploy', 'succeeded', 'staging'), ran('deploy', 'failed', 'production'), ran('rollback', 'succeeded', 'production'));
const feedbackRan = () => release(ran('build'), ran('test'), ran('deploy', 'succeeded', 'staging'), ran('deploy', 'succeeded', 'production', { production: true }), ran('feedback'));

describe('phasesAhead: what relmgr release still runs', () => {
  it.each([
    ['planned', planned, envs, ['build', 'test', 'deploy staging', 'deploy production', 'monitor', 'feedback']],
    ['tested', tested, envs, ['deploy staging', 'deploy production', 'monitor', 'feedback']],
    ['in staging', inStaging, envs, ['deploy production', 'monitor', 'feedback']],
    ['in production', inProduction, envs, ['monitor', 'feedback']],
    ['in production, no monitor configured', inProduction, configSchema.parse({ environments: { staging: {}, production: {} } }), ['feedback']],
    ['monitored', monitored, envs, ['feedback']],
    ['rolled back', rolledBack, envs, ['feedback']],
    ['tested, no environments', tested, bare, ['feedback']],
    ['tested, no environments but a monitor phase', tested, configSchema.parse({ phases: { monitor: { steps: [{ run: 'true' }] } } }), ['feedback']],
  ])('%s', (_, make, config, expected) => {
    expect(phasesAhead(make(), config).map(phaseLabel)).toEqual(expected);
  });
});

describe('close: the outcome and the rule', () => {
  it.each([
    ['planned', planned, envs, 'planned', false],
    ['tested, environments ahead', tested, envs, 'tested', false],
    ['tested, no environments', tested, bare, 'tested', true],
    ['in staging only', inStaging, envs, 'deploying', false],
    ['in production', inProduction, envs, 'deployed', true],
    ['monitored', monitored, envs, 'monitored', true],
    ['monitor failed', monitorFailed, envs, 'failed', false],
    ['rolled back', rolledBack, envs, 'rolled_back', true],
    // The feedback phase itself does not change the outcome.
    ['feedback ran', feedbackRan, envs, 'deployed', true],
  ])('%s', (_, make, config, outcome, ok) => {
    expect(outcomeOf(make())).toBe(outcome);
    expect(closable(outcomeOf(make()), config)).toBe(ok);
  });
});

describe('next for a release that failed in production', () => {
  it('offers the rollback of the production environment, and the retry', () => {
    expect(nextCommand(monitorFailed(), { remote: null, config: envs })).toBe('roll it back: relmgr rollback production --reason "…" (1.0.0 failed in production), or fix the cause and retry: relmgr resume');
  });
});
