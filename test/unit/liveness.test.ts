import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger, type LedgerState } from '../../src/core/lifecycle/fold.js';
import { resumeCommand } from '../../src/core/lifecycle/resume.js';
import { describeRunning, judgeLiveness, refuseRunning, runningNext, runningPhase } from '../../src/engine/liveness.js';
import { interruption } from '../../src/ui/step-progress.js';
import { isRelmgrError } from '../../src/errors.js';

let n = 0;
const actor = { name: 'A', email: 'a@example.com' };
function ev(type: LedgerEvent['type'], data: Record<string, unknown> = {}, phase: LedgerEvent['phase'] = 'build'): LedgerEvent {
  return { v: 1, id: '', type, release: '1.0.1', at: '', actor, data, ...(type.startsWith('release.') ? {} : { phase }) };
}
/** Stamps events in the order given (a table's rows are built before the test's own events). */
const stamped = (events: LedgerEvent[]): LedgerEvent[] =>
  events.map((e) => {
    n += 1;
    return { ...e, id: `e${n}`, at: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)).toISOString() };
  });
const planned = (): LedgerEvent => ev('release.planned', { tag: 'v1.0.1', base: 'b' });
const step = (idempotent?: boolean): LedgerEvent => ev('step.started', { index: 0, name: 'publish', ...(idempotent === undefined ? {} : { idempotent }) });
/** This machine: `laptop`, where only pid 100 runs, and process group 300 (a step left behind). */
const here = { host: 'laptop', alive: (pid: number) => pid === 100 || pid === -300 };
const judged = (...events: LedgerEvent[]): LedgerState => judgeLiveness(foldLedger(stamped([planned(), ...events])), here);

describe('a step left running by a killed relmgr (SIGKILL cannot stop it)', () => {
  it('a step that is not idempotent: the next command is the one resume will ask for', () => {
    const release = judged(ev('phase.started', { host: 'laptop', pid: 200 }), step(false), ev('step.spawned', { index: 0, name: 'publish', pgid: 300 })).open;
    const running = runningPhase(release!, here);
    expect(runningNext(running as NonNullable<typeof running>)).toBe('wait for step "publish" to end, or stop it: kill -TERM -300; then: relmgr resume --rerun (or, if step "publish" did its work: relmgr resume --assume-done)');
  });

  it.each([
    ['its process group runs on: the phase runs', 300, 'running'],
    ['its process group is gone: interrupted', 400, 'interrupted'],
  ])('%s', (_name, pgid, state) => {
    const release = judged(ev('phase.started', { host: 'laptop', pid: 200 }), step(true), ev('step.spawned', { index: 0, name: 'publish', pgid })).open;
    expect(release?.phases.build.state).toBe(state);
    if (state !== 'running' || !release) return;
    const running = runningPhase(release, here);
    expect(running?.orphan).toEqual({ step: 'publish', pgid: 300, idempotent: true });
    expect(describeRunning(running as NonNullable<typeof running>)).toBe('running: relmgr (pid 200) is gone, but its step "publish" runs on (process group 300; it may stop part-way when it next writes output)');
    expect(runningNext(running as NonNullable<typeof running>)).toBe('wait for step "publish" to end, or stop it: kill -TERM -300; then: relmgr resume');
    try {
      refuseRunning(release, here);
      expect.unreachable();
    } catch (error) {
      expect(isRelmgrError(error) && error.code).toBe('E_PHASE_RUNNING');
      expect(isRelmgrError(error) && error.hint).toBe('wait for step "publish" to end, or stop it: kill -TERM -300; then: relmgr resume');
    }
  });
});

describe('judgeLiveness: is an attempt with no end event still running?', () => {
  it.each([
    ['this host, pid alive: running', { host: 'laptop', pid: 100 }, { running: { phase: 'build', env: null }, interrupted: null }, 'running'],
    ['this host, pid gone (SIGKILL, power loss): interrupted', { host: 'laptop', pid: 200 }, { running: null, interrupted: { phase: 'build', env: null } }, 'interrupted'],
    ['another host: running, for all this machine can tell', { host: 'ci-7', pid: 100 }, { running: { phase: 'build', env: null }, interrupted: null }, 'running'],
    ['another host, even with a pid dead here: still running', { host: 'ci-7', pid: 200 }, { running: { phase: 'build', env: null }, interrupted: null }, 'running'],
    ['an older ledger, where it ran not recorded: interrupted, as before', {}, { running: null, interrupted: { phase: 'build', env: null } }, 'interrupted'],
  ])('%s', (_name, where, expected, state) => {
    const release = judged(ev('phase.started', where), step()).open;
    expect(release).toMatchObject(expected);
    expect(release?.phases.build.state).toBe(state);
    expect(release?.phases.build.attempts[0]?.state).toBe(state);
    if (state === 'interrupted') expect(release?.phases.build.attempts[0]?.interruption).toEqual({ signal: null, takeover: false, recorded: false });
  });

  it('leaves recorded interruptions and finished attempts as the ledger says', () => {
    const stopped = judged(ev('phase.started', { host: 'laptop', pid: 100 }), ev('phase.interrupted', { signal: 'SIGTERM' })).open;
    expect(stopped?.phases.build.attempts[0]?.interruption).toEqual({ signal: 'SIGTERM', takeover: false, recorded: true });
    expect(judged(ev('phase.started', { host: 'laptop', pid: 200 }), ev('phase.succeeded')).open).toMatchObject({ state: 'cut', running: null, interrupted: null });
  });
});

describe('a running phase refuses to be run twice', () => {
  const at = '2026-11-21 10:00 UTC';
  it('here: status names the pid, resume says wait', () => {
    const release = judged(ev('phase.started', { host: 'laptop', pid: 100 })).open!;
    const running = runningPhase(release, here)!;
    expect(describeRunning(running)).toBe(`running (pid 100, since ${at})`);
    expect(runningNext(running)).toBe('wait for the build phase to finish (pid 100), then: relmgr status');
    const error = (() => {
      try {
        return refuseRunning(release, here, { takeover: true });
      } catch (e) {
        return e;
      }
    })();
    expect(isRelmgrError(error) && { code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint }).toEqual({
      code: 'E_PHASE_RUNNING',
      exitCode: 3,
      message: `the build phase of 1.0.1 is running (pid 100, since ${at})`,
      hint: 'wait for it to finish, then see what comes next with: relmgr status',
    });
  });

  it('elsewhere: status says it may have stopped there, resume names --takeover, and --takeover lets it through', () => {
    const release = judged(ev('phase.started', { host: 'ci-7', pid: 31 })).open!;
    const running = runningPhase(release, here)!;
    expect(describeRunning(running)).toBe(`running on ci-7 (pid 31) since ${at}, or stopped there without recording`);
    expect(runningNext(running)).toBe('wait for the build phase on ci-7 to finish, then: relmgr status (if that run is gone for good: relmgr resume --takeover)');
    expect(() => refuseRunning(release, here)).toThrow(expect.objectContaining({ code: 'E_PHASE_RUNNING', hint: expect.stringContaining('take it over with: relmgr resume --takeover') }));
    expect(refuseRunning(release, here, { takeover: true })).toMatchObject({ phase: 'build', where: 'elsewhere' });
  });

  it('lets anything else through', () => {
    expect(refuseRunning(judged(ev('phase.started', { host: 'laptop', pid: 200 })).open!, here)).toBeNull();
    expect(refuseRunning(judged().open!, here)).toBeNull();
  });
});

describe('the resume command that works, from the interrupted step', () => {
  const rerun = 'relmgr resume --rerun (or, if step "publish" did its work: relmgr resume --assume-done)';
  it.each([
    ['a step that is not idempotent', step(false), rerun],
    ['an idempotent step', step(true), 'relmgr resume'],
    ['a step whose idempotence was not recorded (older ledger): --rerun works either way', step(), rerun],
    ['no step was running (stopped between steps)', null, 'relmgr resume'],
  ])('%s', (_name, started, expected) => {
    const release = judged(ev('phase.started', { host: 'laptop', pid: 100 }), ...(started ? [started] : []), ev('phase.interrupted', { signal: 'SIGINT' })).open!;
    expect(resumeCommand(release)).toBe(expected);
  });

  it('the E_INTERRUPTED hint names it too', () => {
    expect(interruption('publish', 'build', 'SIGINT', true).hint).toBe('see where the release stands with: relmgr status; continue from that step with: relmgr resume');
    expect(interruption('publish', 'build', 'SIGINT', false).hint).toBe(`see where the release stands with: relmgr status; continue with: ${rerun}`);
  });
});
