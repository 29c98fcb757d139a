/** Ledger events. Results and digests only — never raw command output or secrets. */
export type EventType =
  | 'release.planned'
  | 'release.abandoned'
  | 'phase.started'
  | 'phase.succeeded'
  | 'phase.failed'
  /** relmgr was stopped by a signal during the phase (or a person took the run over): no result. */
  | 'phase.interrupted'
  | 'step.started'
  /** The step's shell is running: its process group, so its host can tell whether it still runs. */
  | 'step.spawned'
  | 'step.succeeded'
  | 'step.failed'
  | 'step.skipped'
  | 'effect.applied'
  | 'effect.undone'
  /** An effect the remote refused (a push onto a branch that moved): its code, hint and the steps after abort. */
  | 'effect.failed'
  /** A phase's steps ran but a gate after them is not satisfied (pending, rejected, timed out): the attempt waits for it. */
  | 'phase.gated'
  /** A gate was reached for the first time in this plan: waits and approval timeouts count from it. */
  | 'gate.opened'
  | 'gate.passed'
  | 'gate.rejected'
  | 'gate.timed_out'
  /** The emergency track passed a gate it may skip (or a freeze it overrides): its state at that moment is kept. */
  | 'gate.skipped'
  | 'approval.granted'
  | 'approval.rejected'
  | 'attestation.recorded'
  /**
   * What an environment runs, summed up after the deploy or rollback phase ended (`data.env`, `data.from`,
   * `data.to`, `data.production`): the file name says its kind, so the history of every environment is
   * read from these few files, not from every event of every release.
   */
  | 'deploy.succeeded'
  | 'deploy.failed'
  | 'rollback.succeeded'
  | 'rollback.failed'
  /** The release is closed (after the feedback phase): the review note and the outcome it closed with. */
  | 'release.closed'
  /**
   * A notification about to be sent (`data.key` names the notify target and the event it announces):
   * recorded and shared before sending, so two machines or a resume never send the same one twice.
   */
  | 'notification.claimed'
  /** A notification that could not be delivered after its retries (`data.key`, `data.error`): a warning, never a failure. */
  | 'notification.failed';

/** The phases of the release config, in lifecycle order. */
export const PHASES = ['plan', 'build', 'test', 'deploy', 'monitor', 'feedback'] as const;
/** A phase of the lifecycle, or the rollback of an environment (a phase of the runner, never of the config). */
export type ConfigPhase = (typeof PHASES)[number];
export type PhaseName = ConfigPhase | 'rollback';
/** Phases that have attempts of their own: the config's, and rollback. */
export const RUN_PHASES: readonly PhaseName[] = [...PHASES, 'rollback'];

export interface Actor {
  name: string;
  email: string;
}

export interface LedgerEvent {
  v: 1;
  id: string;
  type: EventType;
  /** The release's version. */
  release: string;
  phase?: PhaseName;
  env?: string;
  /** RFC 3339, UTC, millisecond precision; strictly increasing per writer. */
  at: string;
  actor: Actor;
  data: Record<string, unknown>;
}

/** The file that holds an event: releases/<version>/<timestamp>-<id>-<type>.json */
export function eventPath(event: Pick<LedgerEvent, 'release' | 'at' | 'id' | 'type'>): string {
  const stamp = event.at.replace(/[-:]/g, '');
  return `releases/${event.release}/${stamp}-${event.id}-${event.type}.json`;
}

/** What a file's path says about its event — enough to find the releases worth reading. */
export function eventFromPath(path: string): Pick<LedgerEvent, 'release' | 'at' | 'id' | 'type'> | null {
  const match = /^releases\/([^/]+)\/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2}(?:\.\d+)?Z)-([^-/]+)-([a-z.]+)\.json$/.exec(path);
  if (!match) return null;
  const [, release, y, mo, d, h, mi, s, id, type] = match as unknown as string[];
  return { release: release as string, at: `${y}-${mo}-${d}T${h}:${mi}:${s}`, id: id as string, type: type as EventType };
}

/** Oldest first; ties (two machines, one millisecond) by id, so every machine agrees. */
export function compareEvents(a: LedgerEvent, b: LedgerEvent): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The event format this relmgr writes and reads. */
export const EVENT_FORMAT = 1;

/**
 * What a file that is not a readable event holds: an event written by a newer relmgr (its format
 * version is higher than this relmgr's), or something that is not a relmgr event at all.
 */
export function unreadableKind(text: string): { kind: 'newer'; format: number } | { kind: 'foreign' } {
  try {
    const value = JSON.parse(text) as { v?: unknown };
    if (typeof value.v === 'number' && Number.isInteger(value.v) && value.v > EVENT_FORMAT) return { kind: 'newer', format: value.v };
  } catch {
    // not JSON: foreign
  }
  return { kind: 'foreign' };
}

/** Validates what was read from the ledger; a file that is not an event is reported, not folded. */
export function parseEvent(text: string): LedgerEvent | null {
  try {
    const value = JSON.parse(text) as Partial<LedgerEvent>;
    if (value.v !== EVENT_FORMAT || typeof value.id !== 'string' || typeof value.type !== 'string' || typeof value.release !== 'string') return null;
    if (typeof value.at !== 'string' || typeof value.actor !== 'object' || value.actor === null) return null;
    return { ...value, data: typeof value.data === 'object' && value.data !== null ? value.data : {} } as LedgerEvent;
  } catch {
    return null;
  }
}
