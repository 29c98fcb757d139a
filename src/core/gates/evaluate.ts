import type { Config, Gate } from '../config/schema.js';
import { formatDuration } from '../duration.js';
import type { Actor, LedgerEvent } from '../lifecycle/events.js';
import type { GateAt } from './address.js';
import type { DeciderRelease } from './eligibility.js';
import { describeGate } from './describe.js';
import { gateKind } from './ids.js';

/*
 * Gate evaluation: a pure function of the gate, the release's events, the clock and the check
 * results, so a laptop and CI reach the same answer. Today it evaluates `check` gates; every other
 * kind is reported as unsupported — a gate is never silently passed.
 */

export type GateStatus = 'passed' | 'pending' | 'rejected' | 'timed_out' | 'failed' | 'skipped' | 'unsupported';

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
  /** For people: `waiting for 1 approval from sre: dave@example.com, erin@example.com`. */
  reason: string;
  /** Approvals and checklists: who may still decide (emails, sorted); absent for other kinds. */
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

/** Why a gate kind is not evaluated yet; the E_GATE_UNSUPPORTED message and hint use the same words. */
export const NOT_YET = 'approvals, checklists, windows, freezes and waits come with the deploy lifecycle';
export const UNSUPPORTED_GATES_MESSAGE = `this release passes gates relmgr cannot evaluate yet (${NOT_YET}):`;
export const UNSUPPORTED_GATES_HINT = 'remove these gates from release.config.yaml until relmgr supports them, or run this phase by hand';

/** How an unsupported gate is listed under E_GATE_UNSUPPORTED: `phases.test.exit: wait 10m`. */
export function unsupportedLine(gate: Gate, where: string | undefined): string {
  return `${where ? `${where}: ` : ''}${describeGate(gate)}`;
}

function checkReason(name: string, result: CheckResult): string {
  const time = formatDuration(result.durationMs);
  const attempts = result.attempts > 1 ? ` (${result.attempts} attempts)` : '';
  if (result.status === 'succeeded') return `check ${name} passed in ${time}${attempts}`;
  if (result.status === 'timed_out') return `check ${name} timed out after ${time}${attempts}`;
  const why = result.exitCode !== null ? `exit ${result.exitCode}` : result.signal ? `killed by ${result.signal}` : 'did not start';
  return `check ${name} failed (${why}) after ${time}${attempts}`;
}

/** The state of one gate of the release config, for this plan, now. */
export function evaluateGate(at: GateAt, input: GateInput): GateState {
  const gate = at.gate;
  const kind = gateKind(gate);
  if (kind === 'check' && gate.check !== undefined) {
    const result = input.checks.get(gate.check);
    if (!result) return { status: 'pending', reason: `check ${gate.check} has not run yet` };
    return { status: result.status === 'succeeded' ? 'passed' : 'failed', reason: checkReason(gate.check, result) };
  }
  return {
    status: 'unsupported',
    reason: `${unsupportedLine(gate, at.where)}: relmgr cannot evaluate ${kind ?? 'this'} gates yet (${NOT_YET})`,
  };
}
