import type { Actor, LedgerEvent } from './events.js';
import type { PhaseRef } from './phases.js';

/**
 * What the ledger says of an attempt: `running` has no end event (it runs, or its process died
 * without a chance to record: SIGKILL, power loss), `interrupted` was recorded as stopped, `gated`
 * ran what it could and waits for a gate (pending, rejected, timed out): running the phase again continues it.
 */
export type AttemptState = 'running' | 'interrupted' | 'gated' | 'succeeded' | 'failed';

/** A gate that held a gated attempt, as phase.gated recorded it. */
export interface HeldGate {
  where: string;
  gate: string;
  status: string;
  reason: string;
}
export type StepStateName = 'running' | 'succeeded' | 'failed' | 'skipped';

export interface StepState {
  index: number;
  name: string;
  state: StepStateName;
  attempts: number;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number | null;
  /** Why a step was skipped: `assumed done` (a person said so), `done before`. */
  reason: string | null;
  actor: Actor;
  startedAt: string;
  finishedAt: string | null;
  logFile: string | null;
  /** Whether the step is safe to run again (recorded when it started; null in older ledgers). */
  idempotent: boolean | null;
  /** The process group of the step's shell (step.spawned), on the phase attempt's host; null if not recorded. */
  pgid: number | null;
}

export interface Effect {
  kind: string;
  data: Record<string, unknown>;
  undone: boolean;
}

export interface PhaseAttempt {
  /** The id of its phase.started event: the events of the attempt name it (`data.phaseAttempt`). */
  id: string;
  state: AttemptState;
  actor: Actor;
  startedAt: string;
  finishedAt: string | null;
  steps: StepState[];
  effects: Effect[];
  error: string | null;
  failedStep: number | null;
  result: Record<string, unknown>;
  /** What the attempt was started with (e.g. `push: false` for `cut --no-push`). */
  options: Record<string, unknown>;
  /** Where it ran (data recorded by phase.started, not an identity); null in older ledgers. */
  host: string | null;
  pid: number | null;
  /** The last effect the remote refused since (a push onto a branch that moved), until one of its kind applies. */
  refused: { kind: string; code: string | null; hint: string | null; after: string | null } | null;
  /** What a gated attempt waits for (phase.gated): the gates that held it and the outcome (pending, rejected, timed_out). */
  gated: { outcome: string; gates: HeldGate[] } | null;
  /** How an interrupted attempt stopped: the signal (null when it was taken over, or killed unrecorded), or a takeover. */
  interruption: { signal: string | null; takeover: boolean; recorded: boolean } | null;
}

/** The attempts of one phase — in one environment, for a phase that runs per environment. */
export interface PhaseState extends PhaseRef {
  state: 'pending' | AttemptState;
  attempts: PhaseAttempt[];
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function stepOf(attempt: PhaseAttempt, event: LedgerEvent): StepState {
  const index = num(event.data.index) ?? attempt.steps.length;
  let step = attempt.steps.find((s) => s.index === index);
  if (!step) {
    step = {
      index,
      name: str(event.data.name) ?? `step ${index + 1}`,
      state: 'running',
      attempts: 0,
      exitCode: null,
      timedOut: false,
      durationMs: null,
      reason: null,
      actor: event.actor,
      startedAt: event.at,
      finishedAt: null,
      logFile: null,
      idempotent: null,
      pgid: null,
    };
    attempt.steps.push(step);
    attempt.steps.sort((a, b) => a.index - b.index);
  }
  return step;
}

function startAttempt(phase: PhaseState, event: LedgerEvent): void {
  phase.attempts.push({
    id: event.id,
    state: 'running',
    actor: event.actor,
    startedAt: event.at,
    finishedAt: null,
    steps: [],
    effects: [],
    error: null,
    failedStep: null,
    result: {},
    options: event.data,
    host: str(event.data.host),
    pid: num(event.data.pid),
    interruption: null,
    refused: null,
    gated: null,
  });
  phase.state = 'running';
}

function applyStep(attempt: PhaseAttempt, event: LedgerEvent): void {
  const step = stepOf(attempt, event);
  step.actor = event.actor;
  if (event.type === 'step.started') {
    step.state = 'running';
    step.attempts = num(event.data.attempt) ?? step.attempts + 1;
    step.startedAt = event.at;
    step.finishedAt = null;
    step.idempotent = typeof event.data.idempotent === 'boolean' ? event.data.idempotent : null;
    step.pgid = null;
    return;
  }
  if (event.type === 'step.spawned') {
    step.pgid = num(event.data.pgid);
    return;
  }
  step.state = event.type === 'step.succeeded' ? 'succeeded' : event.type === 'step.failed' ? 'failed' : 'skipped';
  step.finishedAt = event.at;
  step.exitCode = num(event.data.exitCode);
  step.timedOut = event.data.timedOut === true;
  step.durationMs = num(event.data.durationMs);
  step.reason = str(event.data.reason);
  step.logFile = str(event.data.logFile) ?? step.logFile;
  step.attempts = num(event.data.attempts) ?? step.attempts;
}

function applyEffect(attempt: PhaseAttempt, event: LedgerEvent): void {
  if (event.type === 'effect.applied') {
    attempt.effects.push({ kind: str(event.data.kind) ?? 'unknown', data: event.data, undone: false });
    if (attempt.refused?.kind === str(event.data.kind)) attempt.refused = null;
  } else if (event.type === 'effect.failed') {
    attempt.refused = { kind: str(event.data.kind) ?? 'unknown', code: str(event.data.code), hint: str(event.data.hint), after: str(event.data.after) };
  } else if (event.type === 'effect.undone') {
    const kinds = Array.isArray(event.data.kinds) ? event.data.kinds : [];
    for (const effect of attempt.effects) if (kinds.includes(effect.kind)) effect.undone = true;
  }
}

function heldGates(value: unknown): HeldGate[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((g: Record<string, unknown>) =>
    typeof g === 'object' && g !== null ? [{ where: str(g.where) ?? '', gate: str(g.gate) ?? '', status: str(g.status) ?? 'pending', reason: str(g.reason) ?? '' }] : [],
  );
}

/** Applies a phase, step or effect event to the attempts of its (phase, environment). */
export function applyToPhase(phase: PhaseState, event: LedgerEvent): void {
  if (event.type === 'phase.started') return startAttempt(phase, event);
  // An event names its attempt: a run that was taken over (it went on, unaware) writes into its own
  // attempt, never into the one that took over. Older ledgers name none: the newest attempt.
  const id = event.data.phaseAttempt;
  const attempt = typeof id === 'string' ? phase.attempts.find((a) => a.id === id) : phase.attempts[phase.attempts.length - 1];
  const newest = attempt !== undefined && attempt === phase.attempts[phase.attempts.length - 1];
  switch (event.type) {
    case 'phase.interrupted':
      if (!attempt || attempt.state !== 'running') return;
      attempt.state = 'interrupted';
      attempt.finishedAt = event.at;
      attempt.interruption = { signal: str(event.data.signal), takeover: event.data.takeover === true, recorded: true };
      if (newest) phase.state = 'interrupted';
      return;
    case 'phase.gated':
      if (!attempt || attempt.state !== 'running') return;
      attempt.state = 'gated';
      attempt.finishedAt = event.at;
      attempt.gated = { outcome: str(event.data.outcome) ?? 'pending', gates: heldGates(event.data.gates) };
      if (newest) phase.state = 'gated';
      return;
    case 'phase.succeeded':
    case 'phase.failed':
      if (!attempt) return;
      attempt.state = event.type === 'phase.succeeded' ? 'succeeded' : 'failed';
      attempt.finishedAt = event.at;
      attempt.error = str(event.data.error);
      attempt.failedStep = num(event.data.step);
      attempt.result = event.data;
      // A run taken over that ended later does not speak for the phase: the attempt that took over does.
      if (newest) phase.state = attempt.state;
      return;
    default:
      if (!attempt) return;
      if (event.type.startsWith('step.')) applyStep(attempt, event);
      else applyEffect(attempt, event);
  }
}
