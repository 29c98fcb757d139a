import { compareEvents, PHASES, type Actor, type LedgerEvent, type PhaseName } from './events.js';

/** The release state — computed from events, never stored. */
export type ReleaseStateName = 'planned' | 'cut' | 'tested' | 'failed' | 'abandoned';
/**
 * What the ledger says of an attempt: `running` has no end event (it runs, or its process died
 * without a chance to record: SIGKILL, power loss), `interrupted` was recorded as stopped.
 */
export type AttemptState = 'running' | 'interrupted' | 'succeeded' | 'failed';
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
  /** How an interrupted attempt stopped: the signal (null when it was taken over, or killed unrecorded), or a takeover. */
  interruption: { signal: string | null; takeover: boolean; recorded: boolean } | null;
}

export interface PhaseState {
  name: PhaseName;
  state: 'pending' | AttemptState;
  attempts: PhaseAttempt[];
}

export interface ReleaseView {
  version: string;
  tag: string;
  track: string;
  state: ReleaseStateName;
  /** The commit the release was planned at. */
  base: string;
  branch: string | null;
  previousVersion: string | null;
  previousTag: string | null;
  planned: Record<string, unknown>;
  initiator: Actor;
  plannedAt: string;
  phases: Record<PhaseName, PhaseState>;
  abandoned: { reason: string | null; actor: Actor; at: string } | null;
  /** The phase whose last attempt has no end event (it runs, or was killed without recording), if any. */
  running: PhaseName | null;
  /** The phase whose last attempt was interrupted (recorded as such), if any. */
  interrupted: PhaseName | null;
  events: number;
}

export interface LedgerState {
  releases: ReleaseView[];
  /**
   * The newest release, unless it is closed or abandoned: an abandoned release leaves nothing open
   * (an older release is never reopened by abandoning a newer one). A plan recorded while another
   * release was open and not tested (two machines planned at once) does not open: the first stands.
   */
  open: ReleaseView | null;
}

function emptyPhases(): Record<PhaseName, PhaseState> {
  return Object.fromEntries(PHASES.map((name) => [name, { name, state: 'pending', attempts: [] }])) as unknown as Record<PhaseName, PhaseState>;
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

function applyEvent(release: ReleaseView, event: LedgerEvent): void {
  release.events += 1;
  const phase = event.phase ? release.phases[event.phase] : undefined;
  const attempt = phase?.attempts[phase.attempts.length - 1];
  switch (event.type) {
    case 'release.abandoned':
      release.abandoned = { reason: str(event.data.reason), actor: event.actor, at: event.at };
      return;
    case 'phase.started':
      if (!phase) return;
      phase.attempts.push({
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
      });
      phase.state = 'running';
      return;
    case 'phase.interrupted':
      if (!phase || !attempt || attempt.state !== 'running') return;
      attempt.state = 'interrupted';
      attempt.finishedAt = event.at;
      attempt.interruption = { signal: str(event.data.signal), takeover: event.data.takeover === true, recorded: true };
      phase.state = 'interrupted';
      return;
    case 'phase.succeeded':
    case 'phase.failed':
      if (!phase || !attempt) return;
      attempt.state = event.type === 'phase.succeeded' ? 'succeeded' : 'failed';
      attempt.finishedAt = event.at;
      attempt.error = str(event.data.error);
      attempt.failedStep = num(event.data.step);
      attempt.result = event.data;
      phase.state = attempt.state;
      return;
    default:
      break;
  }
  if (!attempt) return;
  if (event.type.startsWith('step.')) {
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
    return;
  }
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

/** The state is derived: abandoned, else failed while the last phase attempt failed, else the furthest success. */
function deriveState(release: ReleaseView): ReleaseStateName {
  if (release.abandoned) return 'abandoned';
  const last = Object.values(release.phases)
    .flatMap((p) => p.attempts.map((a) => ({ phase: p.name, attempt: a })))
    .sort((a, b) => (a.attempt.startedAt < b.attempt.startedAt ? -1 : 1))
    .pop();
  if (last?.attempt.state === 'failed') return 'failed';
  if (release.phases.test.state === 'succeeded') return 'tested';
  if (release.phases.build.state === 'succeeded') return 'cut';
  return 'planned';
}

/** Folds every event of the ledger into the releases it describes. Pure: same events, same state. */
export function foldLedger(events: readonly LedgerEvent[]): LedgerState {
  const byVersion = new Map<string, ReleaseView>();
  // The release the last standing plan opened: a plan recorded while it is still open raced it.
  let current: ReleaseView | null = null;
  for (const event of [...events].sort(compareEvents)) {
    if (event.type === 'release.planned') {
      const data = event.data;
      // Two plans of one version raced (two machines): the first one stands, the second is ignored.
      const existing = byVersion.get(event.release);
      if (existing && !existing.abandoned) {
        existing.events += 1;
        continue;
      }
      // Two plans raced (no abandon between them, the first not tested yet): the first plan stands,
      // the later one is superseded — on every machine, whatever order the events arrived in.
      const racing = current !== null && !current.abandoned && deriveState(current) !== 'tested' ? current : null;
      const release: ReleaseView = {
        version: event.release,
        tag: str(data.tag) ?? event.release,
        track: str(data.track) ?? 'normal',
        state: 'planned',
        base: str(data.base) ?? '',
        branch: str(data.branch),
        previousVersion: str(data.previousVersion),
        previousTag: str(data.previousTag),
        planned: data,
        initiator: event.actor,
        plannedAt: event.at,
        phases: emptyPhases(),
        abandoned: null,
        running: null,
        interrupted: null,
        events: 1,
      };
      if (racing) {
        const reason = `superseded: ${racing.version} was planned first, by ${racing.initiator.name} <${racing.initiator.email}>, at the same time`;
        release.abandoned = { reason, actor: event.actor, at: event.at };
      } else {
        current = release;
      }
      byVersion.set(event.release, release);
      continue;
    }
    const release = byVersion.get(event.release);
    if (release) applyEvent(release, event);
  }
  const releases = [...byVersion.values()].sort((a, b) => (a.plannedAt < b.plannedAt ? -1 : 1));
  for (const release of releases) {
    release.state = deriveState(release);
    release.running = Object.values(release.phases).find((p) => p.state === 'running')?.name ?? null;
    release.interrupted = Object.values(release.phases).find((p) => p.state === 'interrupted')?.name ?? null;
  }
  // The release of the last standing plan: abandoning it leaves nothing open, and a superseded plan never opens.
  const open = current !== null && current.state !== 'abandoned' ? current : null;
  return { releases, open };
}

/**
 * The versions of the last `count` releases planned (abandoned or not), newest first. File names do
 * not say whether a release was tested, so they cannot say which of two plans recorded at once
 * stands, nor whether abandoning the newest left an older one open: the fold of these few can.
 */
export function lastPlanned(lifecycle: readonly LedgerEvent[], count: number): string[] {
  const latest = new Set<string>();
  for (const event of [...lifecycle].sort(compareEvents)) {
    if (event.type !== 'release.planned') continue;
    // Kept in the order of each version's latest plan.
    latest.delete(event.release);
    latest.add(event.release);
  }
  return [...latest].reverse().slice(0, count);
}
