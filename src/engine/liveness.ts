import { phaseState, type LedgerState, type PhaseAttempt, type ReleaseView } from '../core/lifecycle/fold.js';
import { phaseLabel, type PhaseRef } from '../core/lifecycle/phases.js';
import { stoppedStepCommand } from '../core/lifecycle/resume.js';
import { PreconditionError } from '../errors.js';

/*
 * The ledger says an attempt has no end event; only the machine it ran on can say whether it still
 * runs. A phase is started with its host and pid: on that host, a dead pid means relmgr was killed
 * without a chance to record (SIGKILL, power loss) — interrupted, and resumable as before. Anywhere
 * else it may still run: nobody resumes it without saying so (`relmgr resume --takeover`).
 */

/** This machine: its name, and whether a process of it is alive (a negative pid: a process group). */
export interface Here {
  host: string;
  alive(pid: number): boolean;
}

/** Where a phase with no end event stands, seen from here. */
export interface RunningPhase {
  /** The (phase, environment) that runs. */
  ref: PhaseRef;
  /** `build`, or `deploy staging`. */
  phase: string;
  attempt: PhaseAttempt;
  /** `here`: this host, the process is alive; `elsewhere`: another host (unknowable from here). */
  where: 'here' | 'elsewhere';
  /** relmgr is gone (SIGKILL) but the step it ran goes on in its own process group. */
  orphan: Orphan | null;
}

/** The step of an attempt whose process group still runs on this host, if one was recorded. */
function liveStep(attempt: PhaseAttempt, here: Pick<Here, 'alive'>): Orphan | null {
  const step = attempt.steps.find((s) => s.state === 'running' && s.pgid !== null);
  return step && here.alive(-(step.pgid as number)) ? { step: step.name, pgid: step.pgid as number, idempotent: step.idempotent === true } : null;
}

/** A step left running by a relmgr that is gone: its name, process group, and whether it may simply run again. */
interface Orphan {
  step: string;
  pgid: number;
  idempotent: boolean;
}

/**
 * The ledger's state as this machine sees it: an attempt with no end event whose process is known
 * dead (same host, pid gone — or an older ledger that did not record where it ran) is interrupted.
 * Pure given `here`; every other attempt is left as the ledger says.
 */
export function judgeLiveness(state: LedgerState, here: Here): LedgerState {
  for (const release of state.releases) {
    const phase = release.running;
    if (phase === null) continue;
    const attempt = phaseState(release, phase).attempts.at(-1);
    if (!attempt || attempt.state !== 'running') continue;
    const unknown = attempt.host === null || attempt.pid === null;
    if (!unknown && (attempt.host !== here.host || here.alive(attempt.pid as number))) continue;
    // relmgr is gone, but a SIGKILL cannot stop the step it ran: while that runs on, so does the phase.
    if (!unknown && liveStep(attempt, here) !== null) continue;
    attempt.state = 'interrupted';
    attempt.interruption = { signal: null, takeover: false, recorded: false };
    phaseState(release, phase).state = 'interrupted';
    release.running = null;
    release.interrupted = phase;
  }
  return state;
}

/** The phase that still runs (here, or elsewhere for all this machine can tell), if any. */
export function runningPhase(release: ReleaseView, here: Here): RunningPhase | null {
  if (release.running === null) return null;
  const attempt = phaseState(release, release.running).attempts.at(-1);
  if (!attempt) return null;
  const where = attempt.host === here.host ? 'here' : 'elsewhere';
  const orphan = where === 'here' && attempt.pid !== null && !here.alive(attempt.pid) ? liveStep(attempt, here) : null;
  return { ref: release.running, phase: phaseLabel(release.running), attempt, where, orphan };
}

const when = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** `running (pid 4242, since …)` here; `running on ci-7 since …, or stopped there without recording` elsewhere. */
export function describeRunning(running: RunningPhase): string {
  const { attempt, orphan } = running;
  if (orphan) return `running: relmgr (pid ${attempt.pid ?? '?'}) is gone, but its step "${orphan.step}" runs on (process group ${orphan.pgid}; it may stop part-way when it next writes output)`;
  if (running.where === 'here') return `running (pid ${attempt.pid ?? '?'}, since ${when(attempt.startedAt)})`;
  return `running on ${attempt.host ?? 'another host'} (pid ${attempt.pid ?? '?'}) since ${when(attempt.startedAt)}, or stopped there without recording`;
}

/** What to do while a phase runs: wait (here), or wait — or take over a run that is gone (elsewhere). */
export function runningNext(running: RunningPhase): string {
  if (running.orphan) return orphanNext(running.orphan);
  if (running.where === 'here') return `wait for the ${running.phase} phase to finish (pid ${running.attempt.pid ?? '?'}), then: relmgr status`;
  return `wait for the ${running.phase} phase on ${running.attempt.host ?? 'another host'} to finish, then: relmgr status (if that run is gone for good: relmgr resume --takeover)`;
}

/**
 * Refuses to start or resume a phase of a release while one of its phases runs: running a step twice
 * at once (a publish, a push) is what the ledger is there to prevent.
 */
export function refuseRunning(release: ReleaseView, here: Here, options: { takeover?: boolean; takeoverWith?: string } = {}): RunningPhase | null {
  const running = runningPhase(release, here);
  if (running === null) return null;
  if (running.where === 'elsewhere' && options.takeover) return running;
  const what = `the ${running.phase} phase of ${release.version} is ${describeRunning(running)}`;
  const hint = running.orphan
    ? orphanNext(running.orphan)
    : running.where === 'here'
      ? 'wait for it to finish, then see what comes next with: relmgr status'
      : `wait for it to finish (relmgr status shows where it stands); if that run is gone for good, take it over with: ${options.takeoverWith ?? 'relmgr resume --takeover'}`;
  throw new PreconditionError('E_PHASE_RUNNING', what, { hint });
}

/** A step left running by a killed relmgr: let it end, or stop it; then resume decides what to do with it. */
function orphanNext(orphan: Orphan): string {
  // A step that is not idempotent may or may not have done its work: resume asks, so say what it will ask.
  return `wait for step "${orphan.step}" to end, or stop it: kill -TERM -${orphan.pgid}; then: ${orphan.idempotent ? 'relmgr resume' : stoppedStepCommand(orphan.step)}`;
}
