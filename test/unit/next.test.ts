import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger, type ReleaseView } from '../../src/core/lifecycle/fold.js';
import { cutElsewhere, nextCommand, pushedInLedger, releaseCommit, type NextFacts } from '../../src/core/lifecycle/next.js';

let n = 0;
const actor = { name: 'Laptop', email: 'laptop@example.com' };
type Ev = [LedgerEvent['type'], Record<string, unknown>?, LedgerEvent['phase']?];
function release(...events: Ev[]): ReleaseView {
  const all = [['release.planned', { tag: 'v1.1.0', base: 'abc' }] as Ev, ...events].map(([type, data = {}, phase]): LedgerEvent => {
    n += 1;
    return { v: 1, id: `e${n.toString(16).padStart(7, '0')}`, type, release: '1.1.0', at: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)).toISOString(), actor, data, ...(phase ? { phase } : {}) };
  });
  const state = foldLedger(all);
  return state.releases.at(-1) as ReleaseView;
}

const started = (phase: LedgerEvent['phase'], data: Record<string, unknown> = {}): Ev => ['phase.started', data, phase];
const cutPushed: Ev[] = [started('build'), ['effect.applied', { kind: 'push', remote: 'origin' }, 'build'], ['phase.succeeded', { commit: 'c0ffee1234', pushed: true }, 'build']];
const cutLocal: Ev[] = [started('build', { push: false }), ['phase.succeeded', { commit: 'c0ffee1234', pushed: false }, 'build']];
const origin: NextFacts = { remote: 'origin' };

describe('nextCommand: what comes next, for status, resume and the hints', () => {
  it.each<[string, ReleaseView, NextFacts, string | RegExp]>([
    ['planned', release(), origin, 'relmgr cut'],
    ['cut and pushed', release(...cutPushed), origin, 'relmgr test'],
    ['cut with --no-push here', release(...cutLocal), { remote: 'origin', commitHere: true }, /^relmgr test, and relmgr push to publish it \(cut with --no-push; origin has neither/],
    ['cut with --no-push, no remote', release(...cutLocal), { remote: null }, 'relmgr test'],
    ['cut with --no-push in another clone', release(...cutLocal), { remote: 'origin', commitHere: false }, /^cut with --no-push by Laptop <laptop@example\.com> on 2026-11-21 10:00 UTC in another clone: push it from that clone with relmgr push$/],
    ['tested, pushed', release(...cutPushed, started('test'), ['phase.succeeded', {}, 'test']), origin, 'relmgr close --note "…" (no environments are configured), or plan the next release: relmgr plan'],
    ['tested, not pushed', release(...cutLocal, started('test'), ['phase.succeeded', {}, 'test']), origin, /^relmgr push \(cut with --no-push: origin has neither/],
    ['tested, not pushed, in another clone', release(...cutLocal, started('test'), ['phase.succeeded', {}, 'test']), { remote: 'origin', commitHere: false }, /^cut with --no-push by Laptop .* push it from that clone with relmgr push$/],
    ['running (no end recorded yet)', release(started('build')), origin, 'wait for the build phase to finish (it is running), then: relmgr status'],
    ['interrupted (recorded)', release(started('build'), ['phase.interrupted', { signal: 'SIGINT' }, 'build']), origin, 'relmgr resume (the build phase was interrupted)'],
    ['failed, hint recorded', release(started('build'), ['phase.failed', { error: 'refused', kind: 'E_PUSH', hint: 'the branch moved on origin: git pull --rebase --tags origin main, then relmgr plan --replace' }, 'build']), origin, 'the branch moved on origin: git pull --rebase --tags origin main, then relmgr plan --replace'],
    ['failed before any push, no hint recorded (an older ledger)', release(started('build'), ['phase.failed', { error: 'boom' }, 'build']), origin, 'relmgr resume (or relmgr abort)'],
    ['failed after the push, no hint recorded', release(...cutPushed, started('test'), ['phase.failed', { error: 'boom' }, 'test']), origin, 'relmgr resume (or relmgr abort --reason "…")'],
    ['cut with --no-push, relmgr push refused: its recipe, not another push', release(...cutLocal, ['effect.failed', { kind: 'push', code: 'E_BRANCH_MOVED', hint: 'start over: relmgr abort, then git tag -d v1.1.0, then relmgr plan', after: 'git tag -d v1.1.0, then relmgr plan' }, 'build']), { remote: 'origin', commitHere: true }, 'start over: relmgr abort, then git tag -d v1.1.0, then relmgr plan'],
    ['push refused, then pushed after all', release(...cutLocal, ['effect.failed', { kind: 'push', code: 'E_BRANCH_MOVED', hint: 'start over' }, 'build'], ['effect.applied', { kind: 'push', remote: 'origin' }, 'build']), origin, 'relmgr test'],
    ['abandoned after a refused push: the rest of its recipe', release(...cutLocal, ['effect.failed', { kind: 'push', code: 'E_BRANCH_MOVED', hint: 'start over', after: 'git tag -d v1.1.0, then relmgr plan' }, 'build'], ['release.abandoned', { reason: 'moved' }]), origin, 'git tag -d v1.1.0, then relmgr plan (this release was abandoned)'],
    ['abandoned before a cut', release(['release.abandoned', { reason: null }]), origin, 'relmgr plan (this release was abandoned)'],
    ['abandoned after a cut: its tag stays, nothing new to release', release(...cutPushed, ['release.abandoned', { reason: 'x' }]), origin, 'commit the fix, then relmgr plan (this release was abandoned; its tag stays)'],
  ])('%s', (_what, view, facts, expected) => {
    const next = nextCommand(view, facts);
    if (typeof expected === 'string') expect(next).toBe(expected);
    else expect(next).toMatch(expected);
  });

  it('reads the release commit and the push from the ledger', () => {
    expect(releaseCommit(release(...cutLocal))).toBe('c0ffee1234');
    expect(releaseCommit(release())).toBeNull();
    expect(pushedInLedger(release(...cutLocal))).toBe(false);
    expect(pushedInLedger(release(...cutPushed))).toBe(true);
    expect(cutElsewhere(release())).toBe('cut with --no-push in another clone: push it from that clone with relmgr push');
  });
});
