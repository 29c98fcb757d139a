import type { Config } from '../config/schema.js';
import type { Actor, LedgerEvent } from '../lifecycle/events.js';
import type { DeciderRelease } from './eligibility.js';

/* What evaluating a gate takes and gives (evaluate.ts re-exports these). */

export type GateStatus = 'passed' | 'pending' | 'rejected' | 'timed_out' | 'failed' | 'skipped';

/** A person's decision on a human gate, as status and prompts show it. */
export interface GateDecision {
  decision: 'approved' | 'rejected' | 'attested' | 'answered no';
  by: Actor;
  /** RFC 3339 UTC, from the event. */
  at: string;
  comment?: string;
  /** A checklist item's id. */
  item?: string;
  evidence?: string;
  /** Why it does not count (not eligible, the initiator, superseded by a later decision), if it does not. */
  ignored?: string;
}

export interface GateState {
  status: GateStatus;
  /** For people: `waiting for 1 more approval: bob@example.com or dave@example.com (rules: …; approved by erin@example.com)`. */
  reason: string;
  /** A pending approval or checklist: who could still move it on (emails, sorted); absent once it is settled and for other kinds. */
  waitingFor?: string[];
  /** Approvals and checklists: every decision recorded for this gate in this plan, oldest first. */
  decisions?: GateDecision[];
  /** Time gates: when the state changes next if nothing else happens (a freeze ends, a window opens, a wait is over, an approval times out), RFC 3339 UTC. */
  changesAt?: string;
  /** `skipped`: the state the gate had when the emergency track skipped it. */
  skippedState?: Exclude<GateStatus, 'skipped'>;
  /** A freeze gate the emergency track passed through: the freezes it overrode (active at that moment). */
  overridden?: string[];
}

/** How a check ran: a step's result fits (its fields are a subset of StepResult's). */
export interface CheckResult {
  status: 'succeeded' | 'failed' | 'timed_out';
  exitCode: number | null;
  /** The signal that ended the last attempt, if any. */
  signal?: string | null;
  attempts: number;
  /** All attempts together. */
  durationMs: number;
}

export interface GateInput {
  /** This plan's gate events and decisions (ReleaseView.gateEvents), oldest first: approvals, attestations, when the gate first opened. */
  events: readonly LedgerEvent[];
  /** The injected clock's reading: windows, freezes, waits and approval timeouts compare against it. */
  now: Date;
  /** This boundary's check results by check name: a gate `check: ready` reads `checks.get('ready')`; absent → not run yet. */
  checks: ReadonlyMap<string, CheckResult>;
  /** The release config (groups, calendars, tracks, environments' tiers). */
  config: Config;
  /** Who planned the release (may not approve unless allow_self), its track. */
  release: DeciderRelease;
}
