import { describe, expect, it } from 'vitest';
import { eventFromPath, eventPath, type LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger, lastPlanned } from '../../src/core/lifecycle/fold.js';

let n = 0;
const actor = { name: 'A', email: 'a@example.com' };
function ev(type: LedgerEvent['type'], release: string, data: Record<string, unknown> = {}, phase?: LedgerEvent['phase']): LedgerEvent {
  n += 1;
  return { v: 1, id: `e${n.toString(16).padStart(7, '0')}`, type, release, at: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)).toISOString(), actor, data, ...(phase ? { phase } : {}) };
}

describe('events', () => {
  it('reads an event back from its file name', () => {
    const e = ev('step.succeeded', '1.4.0-rc.1');
    expect(eventPath(e)).toMatch(/^releases\/1\.4\.0-rc\.1\/20261121T100000\.\d{3}Z-e[0-9a-f]+-step\.succeeded\.json$/);
    expect(eventFromPath(eventPath(e))).toEqual({ release: e.release, at: e.at, id: e.id, type: e.type });
    expect(eventFromPath('README.md')).toBeNull();
  });
});

describe('foldLedger', () => {
  it('walks a release through planned → cut → tested, with a failure and a resume', () => {
    const events = [
      ev('release.planned', '1.0.0', { tag: 'v1.0.0', base: 'abc', track: 'normal' }),
      ev('phase.started', '1.0.0', {}, 'build'),
      ev('step.started', '1.0.0', { index: 0, name: 'compile' }, 'build'),
      ev('step.failed', '1.0.0', { index: 0, name: 'compile', exitCode: 1 }, 'build'),
      ev('phase.failed', '1.0.0', { error: 'step compile failed', step: 0 }, 'build'),
    ];
    expect(foldLedger(events).open).toMatchObject({ state: 'failed', interrupted: null });
    events.push(ev('phase.started', '1.0.0', {}, 'build'), ev('step.started', '1.0.0', { index: 0, name: 'compile' }, 'build'));
    // No end event: the ledger says running (whether it still runs is for the machine it ran on to say).
    expect(foldLedger(events).open).toMatchObject({ state: 'planned', running: { phase: 'build', env: null }, interrupted: null });
    events.push(ev('step.succeeded', '1.0.0', { index: 0, name: 'compile', exitCode: 0 }, 'build'), ev('phase.succeeded', '1.0.0', { commit: 'def' }, 'build'));
    const cut = foldLedger(events).open;
    expect(cut).toMatchObject({ state: 'cut', running: null, interrupted: null });
    expect(cut?.phases.build.attempts).toHaveLength(2);
    events.push(ev('phase.started', '1.0.0', {}, 'test'), ev('phase.succeeded', '1.0.0', {}, 'test'));
    expect(foldLedger(events).open?.state).toBe('tested');
  });

  it('records an interruption: the attempt ends interrupted, with its signal, and is neither running nor failed', () => {
    const events = [
      ev('release.planned', '1.0.0', { tag: 'v1.0.0', base: 'abc' }),
      ev('phase.started', '1.0.0', { host: 'laptop', pid: 4242 }, 'build'),
      ev('step.started', '1.0.0', { index: 0, name: 'compile', idempotent: false }, 'build'),
    ];
    const running = foldLedger(events).open;
    expect(running).toMatchObject({ state: 'planned', running: { phase: 'build', env: null }, interrupted: null });
    expect(running?.phases.build).toMatchObject({ state: 'running', attempts: [{ state: 'running', host: 'laptop', pid: 4242, interruption: null, finishedAt: null }] });
    events.push(ev('phase.interrupted', '1.0.0', { step: 0, name: 'compile', signal: 'SIGINT' }, 'build'));
    const stopped = foldLedger(events).open;
    expect(stopped).toMatchObject({ state: 'planned', running: null, interrupted: { phase: 'build', env: null } });
    expect(stopped?.phases.build.state).toBe('interrupted');
    expect(stopped?.phases.build.attempts[0]).toMatchObject({ state: 'interrupted', interruption: { signal: 'SIGINT', takeover: false, recorded: true } });
    // The stopped step did not finish; what it was is kept for resume (and its hint).
    expect(stopped?.phases.build.attempts[0]?.steps[0]).toMatchObject({ name: 'compile', state: 'running', idempotent: false });
    // An interruption after the attempt ended (a late signal, a takeover raced by success) changes nothing.
    events.push(ev('phase.started', '1.0.0', {}, 'build'), ev('phase.succeeded', '1.0.0', {}, 'build'), ev('phase.interrupted', '1.0.0', { takeover: true }, 'build'));
    expect(foldLedger(events).open).toMatchObject({ state: 'cut', running: null, interrupted: null });
  });

  it('gives the same state whatever order the events arrive in', () => {
    const events = [ev('release.planned', '2.0.0'), ev('phase.started', '2.0.0', {}, 'build'), ev('phase.succeeded', '2.0.0', {}, 'build')];
    expect(foldLedger([...events].reverse())).toEqual(foldLedger(events));
  });

  it('keeps the first of two racing plans, and opens the newest release unless it is abandoned', () => {
    const first = ev('release.planned', '1.1.0', { base: 'one' });
    const second = ev('release.planned', '1.1.0', { base: 'two' });
    expect(foldLedger([first, second]).open?.base).toBe('one');
    const abandoned = ev('release.abandoned', '1.1.0', { reason: 'no' });
    const again = ev('release.planned', '1.1.0', { base: 'three' });
    expect(foldLedger([first, abandoned, again]).open?.base).toBe('three');
    // Abandoning the newest release never reopens an older one (a second abort must not reach it).
    const tested = (version: string) => [ev('release.planned', version), ev('phase.started', version, {}, 'test'), ev('phase.succeeded', version, {}, 'test')];
    expect(foldLedger([...tested('1.2.0'), ev('release.planned', '1.3.0'), ev('release.abandoned', '1.3.0')]).open).toBeNull();
    expect(foldLedger([...tested('1.2.0'), ev('release.planned', '1.3.0')]).open?.version).toBe('1.3.0');
  });

  describe('two plans at once (no abandon between them): the first in ledger order stands, on every machine', () => {
    const laptop = { name: 'Laptop', email: 'laptop@example.com' };
    const ci = { name: 'CI', email: 'ci@example.com' };
    const plan = (version: string, who = actor) => ({ ...ev('release.planned', version, { tag: `v${version}` }), actor: who });
    const cases: { name: string; events: () => LedgerEvent[]; open: string | null; superseded: string[] }[] = [
      { name: 'two versions, planned but not cut', events: () => [plan('2.0.0', laptop), plan('1.1.0', ci)], open: '2.0.0', superseded: ['1.1.0'] },
      { name: 'the first one was cut meanwhile', events: () => [plan('1.1.0', ci), ev('phase.started', '1.1.0', {}, 'build'), ev('phase.succeeded', '1.1.0', {}, 'build'), plan('2.0.0', laptop)], open: '1.1.0', superseded: ['2.0.0'] },
      { name: 'the first one failed', events: () => [plan('1.1.0', ci), ev('phase.started', '1.1.0', {}, 'build'), ev('phase.failed', '1.1.0', {}, 'build'), plan('2.0.0', laptop)], open: '1.1.0', superseded: ['2.0.0'] },
      { name: 'three at once', events: () => [plan('1.1.0', ci), plan('2.0.0', laptop), plan('1.0.1')], open: '1.1.0', superseded: ['2.0.0', '1.0.1'] },
      { name: 'the loser abandoned its own plan too', events: () => [plan('1.1.0', ci), plan('2.0.0', laptop), ev('release.abandoned', '2.0.0', { reason: 'superseded' })], open: '1.1.0', superseded: ['2.0.0'] },
      { name: 'a plan after the first was abandoned (plan --replace)', events: () => [plan('1.1.0', ci), ev('release.abandoned', '1.1.0'), plan('2.0.0', laptop)], open: '2.0.0', superseded: [] },
      { name: 'a plan after the first was tested', events: () => [plan('1.1.0', ci), ev('phase.started', '1.1.0', {}, 'test'), ev('phase.succeeded', '1.1.0', {}, 'test'), plan('2.0.0', laptop)], open: '2.0.0', superseded: [] },
      { name: 'the winner abandoned later: nothing open', events: () => [plan('1.1.0', ci), plan('2.0.0', laptop), ev('release.abandoned', '1.1.0')], open: null, superseded: ['2.0.0'] },
    ];
    it.each(cases)('$name', ({ events, open, superseded }) => {
      const list = events();
      for (const order of [list, [...list].reverse()]) {
        const state = foldLedger(order);
        expect(state.open?.version ?? null).toBe(open);
        for (const version of superseded) {
          const release = state.releases.find((r) => r.version === version);
          expect(release?.state).toBe('abandoned');
        }
      }
    });

    it('says who planned first', () => {
      const loser = foldLedger([plan('1.1.0', ci), plan('2.0.0', laptop)]).releases.find((r) => r.version === '2.0.0');
      expect(loser?.abandoned).toMatchObject({ reason: 'superseded: 1.1.0 was planned first, by CI <ci@example.com>, at the same time', actor: laptop });
    });
  });
});

describe('lastPlanned: the releases worth reading, from file names alone', () => {
  const plan = (version: string) => ev('release.planned', version);
  const abandon = (version: string) => ev('release.abandoned', version);
  const cases: { name: string; events: () => LedgerEvent[]; want: string[] }[] = [
    { name: 'nothing yet', events: () => [], want: [] },
    { name: 'one plan', events: () => [plan('1.0.0')], want: ['1.0.0'] },
    { name: 'the newest plans first, three at most', events: () => [plan('1.0.0'), plan('1.1.0'), plan('1.2.0'), plan('1.3.0')], want: ['1.3.0', '1.2.0', '1.1.0'] },
    { name: 'abandoned ones too: abandoning the newest leaves nothing open', events: () => [plan('1.0.0'), plan('1.1.0'), abandon('1.1.0'), plan('1.2.0')], want: ['1.2.0', '1.1.0', '1.0.0'] },
    { name: 'a version planned again after its abandon', events: () => [plan('1.1.0'), abandon('1.1.0'), plan('1.0.9'), plan('1.1.0')], want: ['1.1.0', '1.0.9'] },
  ];
  it.each(cases)('$name', ({ events, want }) => {
    const list = events();
    expect(lastPlanned(list, 3)).toEqual(want);
    expect(lastPlanned([...list].reverse(), 3)).toEqual(want);
  });

  it('leaves nothing open when the newest release was abandoned after a tested one', () => {
    const events = [plan('1.0.1'), ev('phase.started', '1.0.1', {}, 'test'), ev('phase.succeeded', '1.0.1', {}, 'test'), plan('1.1.0'), abandon('1.1.0')];
    const wanted = new Set(lastPlanned(events.filter((e) => e.type.startsWith('release.')), 3));
    expect(foldLedger(events.filter((e) => wanted.has(e.release))).open).toBeNull();
  });

  it('finds the release that stands when two plans raced, the earlier one', () => {
    const events = [plan('1.0.0'), ev('phase.started', '1.0.0', {}, 'test'), ev('phase.succeeded', '1.0.0', {}, 'test'), plan('1.1.0'), plan('2.0.0')];
    const wanted = new Set(lastPlanned(events.filter((e) => e.type.startsWith('release.')), 3));
    expect(foldLedger(events.filter((e) => wanted.has(e.release))).open?.version).toBe('1.1.0');
  });
});

describe('a hotfix beside a release on its way', () => {
  const hotfix = (version: string) => ev('release.planned', version, { tag: `v${version}`, base: 'b12', track: 'emergency', picks: ['f'.repeat(40)] });
  const cases: Array<{ name: string; events: () => LedgerEvent[]; open: string | null; abandoned: string[] }> = [
    { name: 'opens beside an untested normal release, which is not superseded', events: () => [ev('release.planned', '1.4.0', { track: 'normal' }), hotfix('1.2.1')], open: '1.2.1', abandoned: [] },
    { name: 'hands back to the normal release once closed', events: () => [ev('release.planned', '1.4.0', { track: 'normal' }), hotfix('1.2.1'), ev('release.closed', '1.2.1', { outcome: 'deployed' })], open: '1.4.0', abandoned: [] },
    { name: 'hands back to the normal release once abandoned', events: () => [ev('release.planned', '1.4.0', { track: 'normal' }), hotfix('1.2.1'), ev('release.abandoned', '1.2.1', {})], open: '1.4.0', abandoned: ['1.2.1'] },
    { name: 'leaves nothing open when the normal release ended meanwhile', events: () => [ev('release.planned', '1.4.0', { track: 'normal' }), hotfix('1.2.1'), ev('release.abandoned', '1.4.0', {}), ev('release.closed', '1.2.1', {})], open: null, abandoned: ['1.4.0'] },
    { name: 'two hotfixes at once still race: the first stands', events: () => [hotfix('1.2.1'), hotfix('1.2.2')], open: '1.2.1', abandoned: ['1.2.2'] },
    { name: 'an emergency without picks still races an untested release', events: () => [ev('release.planned', '1.4.0', { track: 'normal' }), ev('release.planned', '1.3.1', { track: 'emergency' })], open: '1.4.0', abandoned: ['1.3.1'] },
    { name: 'a normal plan while a hotfix is open races it', events: () => [hotfix('1.2.1'), ev('release.planned', '1.4.0', { track: 'normal' })], open: '1.2.1', abandoned: ['1.4.0'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const events = c.events();
      for (const state of [foldLedger(events), foldLedger([...events].reverse())]) {
        expect(state.open?.version ?? null).toBe(c.open);
        expect(state.releases.filter((r) => r.abandoned).map((r) => r.version)).toEqual(c.abandoned);
      }
    });
  }
});
