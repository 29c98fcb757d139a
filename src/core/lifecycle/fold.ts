import { Claims } from '../notify/claims.js';
import { applyToPhase, type PhaseState } from './attempts.js';
import { compareEvents, RUN_PHASES, type Actor, type LedgerEvent, type PhaseName } from './events.js';
import type { PhaseRef, ReleaseStateName } from './phases.js';

export type { AttemptState, Effect, PhaseAttempt, PhaseState, StepState, StepStateName } from './attempts.js';
export type { ReleaseStateName } from './phases.js';

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
  /** The id of its release.planned event: decisions and gate events name the plan they belong to (`data.plan`). */
  planId: string;
  /** This plan's gate events and decisions (gate.*, approval.*, attestation.*), oldest first: what gates are evaluated from. */
  gateEvents: LedgerEvent[];
  initiator: Actor;
  plannedAt: string;
  /** The phases that run once per release. */
  phases: Record<PhaseName, PhaseState>;
  /** The phases that run per environment, by environment: each (phase, environment) has its own attempts. */
  environments: Record<string, Partial<Record<PhaseName, PhaseState>>>;
  abandoned: { reason: string | null; actor: Actor; at: string } | null;
  /** Closed (release.closed): the review note, and the state it was closed from (`rolled_back`, say): its outcome. */
  closed: { note: string | null; outcome: ReleaseStateName; actor: Actor; at: string } | null;
  /** The (phase, environment) whose last attempt has no end event (it runs, or was killed without recording), if any. */
  running: PhaseRef | null;
  /** The (phase, environment) whose last attempt was interrupted (recorded as such), if any. */
  interrupted: PhaseRef | null;
  events: number;
}

export interface LedgerState {
  releases: ReleaseView[];
  /**
   * The newest release, unless it is closed or abandoned: an abandoned release leaves nothing open
   * (an older release is never reopened by abandoning a newer one). A plan recorded while another
   * release was open and not tested (two machines planned at once) does not open: the first stands.
   * A hotfix (an emergency release with picked commits) opens beside the release it interrupts:
   * once it is closed or abandoned, that release is open again.
   */
  open: ReleaseView | null;
  /** The notification keys claimed, and since when (the earliest claim read): no release sees these events. */
  notified?: ReadonlySet<string>;
  notifiedSince?: string;
}

/** Events gates are evaluated from: gate.*, approval.*, attestation.* */
const GATE_EVENT = /^(gate|approval|attestation)\./;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A hotfix: an emergency release whose commits were picked onto the release in production (`plan --track emergency --pick`). */
export function isHotfix(release: Pick<ReleaseView, 'track' | 'planned'>): boolean {
  const picks = release.planned.picks;
  return release.track === 'emergency' && Array.isArray(picks) && picks.length > 0;
}

const ended = (release: ReleaseView): boolean => release.abandoned !== null || release.closed !== null;

function emptyPhases(): Record<PhaseName, PhaseState> {
  return Object.fromEntries(RUN_PHASES.map((name) => [name, { phase: name, env: null, state: 'pending', attempts: [] }])) as unknown as Record<PhaseName, PhaseState>;
}

/** The attempts of a (phase, environment): a phase that runs per environment keeps one list per environment. */
export function phaseState(release: ReleaseView, ref: PhaseRef): PhaseState {
  if (ref.env === null) return release.phases[ref.phase];
  const envs = (release.environments[ref.env] ??= {});
  return (envs[ref.phase] ??= { phase: ref.phase, env: ref.env, state: 'pending', attempts: [] });
}

/** Every (phase, environment) that has attempts. */
export function phaseStates(release: ReleaseView): PhaseState[] {
  return [...Object.values(release.phases), ...Object.values(release.environments).flatMap((envs) => Object.values(envs))];
}

/** Every attempt of the release, oldest first. */
const allAttempts = (release: ReleaseView) =>
  phaseStates(release)
    .flatMap((p) => p.attempts.map((attempt) => ({ phase: p.phase, attempt })))
    .sort((a, b) => (a.attempt.startedAt < b.attempt.startedAt ? -1 : a.attempt.startedAt > b.attempt.startedAt ? 1 : 0));

/** Whether a deploy phase succeeded in a production-tier environment (its phase.succeeded says `production: true`). */
const inProduction = (release: ReleaseView): boolean =>
  Object.values(release.environments).some((envs) => envs.deploy?.attempts.some((a) => a.state === 'succeeded' && a.result.production === true) === true);

/**
 * The state is derived from the phase table: abandoned or closed; else failed while the newest
 * attempt failed, rolled back while it is a rollback that succeeded; else the furthest the release went.
 */
export function deriveState(release: ReleaseView): ReleaseStateName {
  if (release.abandoned) return 'abandoned';
  if (release.closed) return 'closed';
  const last = allAttempts(release).at(-1);
  if (last?.attempt.state === 'failed') return 'failed';
  if (last?.phase === 'rollback' && last.attempt.state === 'succeeded') return 'rolled_back';
  const { phases } = release;
  if (phases.monitor.state === 'succeeded') return 'monitored';
  if (phases.monitor.attempts.length > 0) return 'monitoring';
  if (inProduction(release)) return 'deployed';
  if (Object.values(release.environments).some((envs) => (envs.deploy?.attempts.length ?? 0) > 0)) return 'deploying';
  if (phases.test.state === 'succeeded') return 'tested';
  if (phases.build.state === 'succeeded') return 'cut';
  return 'planned';
}

/**
 * Whether a release was tested: a plan recorded after that is not two machines planning at once
 * (plan refuses to plan over a release on its way to production unless told to replace it).
 */
export function tested(release: ReleaseView): boolean {
  return release.phases.test.state === 'succeeded';
}

/**
 * Whether a rollback in the same environment started after the newest attempt of this deploy: the
 * deploy is over (undone), never continued from the middle — deploying again is a new deploy.
 */
export function rolledBackSince(release: ReleaseView, state: PhaseState): boolean {
  if (state.phase !== 'deploy' || state.env === null) return false;
  const last = state.attempts.at(-1);
  const rollback = release.environments[state.env]?.rollback?.attempts.at(-1);
  return last !== undefined && rollback !== undefined && rollback.startedAt > last.startedAt;
}

function refresh(release: ReleaseView): void {
  // A deploy whose relmgr died without a word, rolled back since (the lock was judged free): it ended there.
  for (const envs of Object.values(release.environments)) {
    const deploy = envs.deploy;
    const last = deploy?.attempts.at(-1);
    if (!deploy || last?.state !== 'running' || !rolledBackSince(release, deploy)) continue;
    last.state = 'interrupted';
    last.interruption = { signal: null, takeover: false, recorded: false };
    deploy.state = 'interrupted';
  }
  release.state = deriveState(release);
  const states = phaseStates(release);
  const ref = (state: PhaseState | undefined): PhaseRef | null => (state ? { phase: state.phase, env: state.env } : null);
  release.running = ref(states.find((p) => p.state === 'running'));
  release.interrupted = ref(states.find((p) => p.state === 'interrupted' && !rolledBackSince(release, p)));
}

/**
 * Folds ledger events into the releases they describe. Pure: same events, same state, whatever
 * order they arrive in. Incremental: a command that records many events (a monitor loop) adds them
 * as it records them, and only the releases they touch are derived again.
 */
export class LedgerFold {
  private readonly byVersion = new Map<string, ReleaseView>();
  private readonly events: LedgerEvent[] = [];
  /** The release the last standing plan opened: a plan recorded while it is still open raced it. */
  private current: ReleaseView | null = null;
  /** The release a hotfix was planned beside (open when it was planned): open again once the hotfix ends. */
  private readonly beside = new Map<ReleaseView, ReleaseView>();
  private result: LedgerState = { releases: [], open: null };
  private readonly claims = new Claims();

  constructor(events: readonly LedgerEvent[] = []) {
    this.add(events);
  }

  get state(): LedgerState {
    return this.result;
  }

  add(events: readonly LedgerEvent[]): LedgerState {
    const sorted = [...events].sort(compareEvents);
    const newest = this.events[this.events.length - 1];
    // Older than what was folded (another machine's events, merged in): fold everything again, in order.
    if (newest && sorted[0] && compareEvents(sorted[0], newest) < 0) return this.refold([...this.events, ...sorted]);
    const touched = new Set<ReleaseView>();
    for (const event of sorted) {
      this.events.push(event);
      const release = this.apply(event);
      if (release) touched.add(release);
    }
    for (const release of touched) refresh(release);
    return this.publish();
  }

  private refold(events: LedgerEvent[]): LedgerState {
    [this.byVersion, this.beside, this.claims].forEach((m) => m.clear());
    this.events.length = 0;
    this.current = null;
    return this.add(events);
  }

  private publish(): LedgerState {
    const releases = [...this.byVersion.values()].sort((a, b) => (a.plannedAt < b.plannedAt ? -1 : 1));
    // The release of the last standing plan: abandoning or closing it leaves nothing open, and a superseded plan never opens.
    // A hotfix that ended hands back to the release it was planned beside, if that one has not ended.
    const open = this.standing();
    this.result = { releases, open, notified: this.claims.keys, ...(this.claims.since !== null ? { notifiedSince: this.claims.since } : {}) };
    return this.result;
  }

  /** The release of the last standing plan, or the one a hotfix that ended was planned beside; null when it ended. */
  private standing(): ReleaseView | null {
    let open = this.current;
    while (open !== null && ended(open)) open = this.beside.get(open) ?? null;
    return open;
  }

  private apply(event: LedgerEvent): ReleaseView | null {
    if (event.type === 'release.planned') return this.plan(event);
    // Notifications are about releases, never part of one: no state, no count, no gate sees them.
    if (event.type.startsWith('notification.')) {
      this.claims.add(event);
      return null;
    }
    const release = this.byVersion.get(event.release);
    if (!release) return null;
    release.events += 1;
    if (event.type === 'release.abandoned') {
      release.abandoned = { reason: str(event.data.reason), actor: event.actor, at: event.at };
      return release;
    }
    if (event.type === 'release.closed') {
      // Closed once: a second close (two machines at once) does not change what the first recorded.
      release.closed ??= { note: str(event.data.note), outcome: (str(event.data.outcome) ?? 'closed') as ReleaseStateName, actor: event.actor, at: event.at };
      return release;
    }
    // Summaries of a deploy or rollback for the history of environments: the phase events say it all here.
    if (event.type.startsWith('deploy.') || event.type.startsWith('rollback.')) return release;
    if (GATE_EVENT.test(event.type)) {
      // A decision names its plan: one given before `plan --replace` never counts for the new plan.
      if (event.data.plan === release.planId) release.gateEvents.push(event);
      return release;
    }
    if (!event.phase) return release;
    // Each (phase, environment) keeps its own attempts: deploy staging and deploy production never share one.
    const env = event.env ?? null;
    applyToPhase(phaseState(release, { phase: event.phase, env }), event);
    return release;
  }

  private plan(event: LedgerEvent): ReleaseView | null {
    const data = event.data;
    // Two plans of one version raced (two machines): the first one stands, the second is ignored.
    const existing = this.byVersion.get(event.release);
    if (existing && !existing.abandoned) {
      existing.events += 1;
      return existing;
    }
    // Two plans raced (no abandon between them, the first not tested yet): the first plan stands,
    // the later one is superseded — on every machine, whatever order the events arrived in.
    const live = this.standing();
    if (live) refresh(live);
    const track = str(data.track) ?? 'normal';
    // A hotfix is planned beside a normal release on its way (it does not race it); two hotfixes do race.
    const hotfix = isHotfix({ track, planned: data });
    const racing = live !== null && !tested(live) && !(hotfix && !isHotfix(live)) ? live : null;
    const release: ReleaseView = {
      version: event.release,
      tag: str(data.tag) ?? event.release,
      track,
      state: 'planned',
      base: str(data.base) ?? '',
      branch: str(data.branch),
      previousVersion: str(data.previousVersion),
      previousTag: str(data.previousTag),
      planned: data,
      planId: event.id,
      gateEvents: [],
      initiator: event.actor,
      plannedAt: event.at,
      phases: emptyPhases(),
      environments: {},
      abandoned: null,
      closed: null,
      running: null,
      interrupted: null,
      events: 1,
    };
    if (racing) {
      const reason = `superseded: ${racing.version} was planned first, by ${racing.initiator.name} <${racing.initiator.email}>, at the same time`;
      release.abandoned = { reason, actor: event.actor, at: event.at };
    } else {
      if (hotfix && live !== null && !isHotfix(live)) this.beside.set(release, live);
      this.current = release;
    }
    this.byVersion.set(event.release, release);
    return release;
  }
}

/** Folds every event of the ledger into the releases it describes. Pure: same events, same state. */
export function foldLedger(events: readonly LedgerEvent[]): LedgerState {
  return new LedgerFold(events).state;
}

export type { PhaseRef };
export { lastPlanned } from './last-planned.js';
