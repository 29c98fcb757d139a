import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger, type ReleaseView } from '../../src/core/lifecycle/fold.js';

const actor = { name: 'Laptop', email: 'laptop@example.com' };
type Ev = [LedgerEvent['type'], LedgerEvent['phase']?, string?, Record<string, unknown>?];

function fold(events: Ev[]): ReleaseView {
  const all = [['release.planned', undefined, undefined, { tag: 'v1.1.0', base: 'abc' }] as Ev, ...events].map(([type, phase, env, data = {}], n): LedgerEvent => ({
    v: 1,
    id: `e${n.toString(16).padStart(7, '0')}`,
    type,
    release: '1.1.0',
    at: new Date(Date.UTC(2026, 10, 21, 10, 0, n)).toISOString(),
    actor,
    data,
    ...(phase ? { phase } : {}),
    ...(env ? { env } : {}),
  }));
  return foldLedger(all).releases.at(-1) as ReleaseView;
}

const tested: Ev[] = [['phase.started', 'build'], ['phase.succeeded', 'build', undefined, { commit: 'c0ffee' }], ['phase.started', 'test'], ['phase.succeeded', 'test']];

describe('a deploy rolled back since', () => {
  it.each<[string, Ev[], { state: string; running: unknown; interrupted: unknown; deploy: string }]>([
    ['killed without a word, then rolled back from another clone: over, not running or resumable', [['phase.started', 'deploy', 'staging'], ['phase.started', 'rollback', 'staging'], ['phase.succeeded', 'rollback', 'staging']], { state: 'rolled_back', running: null, interrupted: null, deploy: 'interrupted' }],
    ['interrupted (recorded), then rolled back: not resumable', [['phase.started', 'deploy', 'staging'], ['phase.interrupted', 'deploy', 'staging'], ['phase.started', 'rollback', 'staging'], ['phase.succeeded', 'rollback', 'staging']], { state: 'rolled_back', running: null, interrupted: null, deploy: 'interrupted' }],
    ['killed without a word, no rollback: still running (liveness judges it)', [['phase.started', 'deploy', 'staging']], { state: 'deploying', running: { phase: 'deploy', env: 'staging' }, interrupted: null, deploy: 'running' }],
    ['interrupted, no rollback: resumable', [['phase.started', 'deploy', 'staging'], ['phase.interrupted', 'deploy', 'staging']], { state: 'deploying', running: null, interrupted: { phase: 'deploy', env: 'staging' }, deploy: 'interrupted' }],
  ])('%s', (_, events, expected) => {
    const release = fold([...tested, ...events]);
    expect({ state: release.state, running: release.running, interrupted: release.interrupted, deploy: release.environments.staging?.deploy?.state }).toEqual(expected);
  });
});
