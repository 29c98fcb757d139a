import { describe, expect, it } from 'vitest';
import { eventFromPath, eventPath, type LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger } from '../../src/core/lifecycle/fold.js';

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
    expect(foldLedger(events).open).toMatchObject({ state: 'planned', running: 'build', interrupted: null });
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
    expect(running).toMatchObject({ state: 'planned', running: 'build', interrupted: null });
    expect(running?.phases.build).toMatchObject({ state: 'running', attempts: [{ state: 'running', host: 'laptop', pid: 4242, interruption: null, finishedAt: null }] });
    events.push(ev('phase.interrupted', '1.0.0', { step: 0, name: 'compile', signal: 'SIGINT' }, 'build'));
    const stopped = foldLedger(events).open;
    expect(stopped).toMatchObject({ state: 'planned', running: null, interrupted: 'build' });
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
    expect(foldLedger([ev('release.planned', '1.2.0'), ev('release.planned', '1.3.0'), ev('release.abandoned', '1.3.0')]).open).toBeNull();
    expect(foldLedger([ev('release.planned', '1.2.0'), ev('release.planned', '1.3.0')]).open?.version).toBe('1.3.0');
  });
});
