import type { Config, Gate } from '../config/schema.js';
import { formatDuration } from '../duration.js';
import type { LedgerEvent } from '../lifecycle/events.js';
import { describeGate } from './describe.js';
import { gateKind } from './ids.js';

/*
 * Gate evaluation: a pure function of the gate, the release's events, the clock and the check
 * results, so a laptop and CI reach the same answer. Today it evaluates `check` gates; every other
 * kind is reported as unsupported — a gate is never silently passed.
 */

export type GateStatus = 'passed' | 'pending' | 'rejected' | 'timed_out' | 'failed' | 'unsupported';

export interface GateState {
  status: GateStatus;
  /** For people: `check ready failed (exit 1) after 0.4s`. */
  reason: string;
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
  /** The release's ledger events, oldest first: approvals, attestations and when a gate first opened come from here. */
  events: readonly LedgerEvent[];
  /** The injected clock's reading: windows, freezes, waits and approval timeouts compare against it. */
  now: Date;
  /** This boundary's check results by check name: a gate `check: ready` reads `checks.get('ready')`; absent → not run yet. */
  checks: ReadonlyMap<string, CheckResult>;
  /** Where the gate sits, as the config spells it: `phases.test.exit`, `environments.production.entry`. */
  where?: string;
  /** The environment being deployed, for an environment's gates. */
  env?: string;
  /** The parts of the release config that gates refer to: groups (approvals, checklists), calendars (windows, freezes). */
  config?: Pick<Config, 'groups' | 'calendars'>;
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

export function evaluateGate(gate: Gate, input: GateInput): GateState {
  const kind = gateKind(gate);
  if (kind === 'check' && gate.check !== undefined) {
    const result = input.checks.get(gate.check);
    if (!result) return { status: 'pending', reason: `check ${gate.check} has not run yet` };
    return { status: result.status === 'succeeded' ? 'passed' : 'failed', reason: checkReason(gate.check, result) };
  }
  return {
    status: 'unsupported',
    reason: `${unsupportedLine(gate, input.where)}: relmgr cannot evaluate ${kind ?? 'this'} gates yet (${NOT_YET})`,
  };
}
