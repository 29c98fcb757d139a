import type { Config } from '../config/schema.js';
import { formatDuration, parseDuration } from '../duration.js';
import type { ReleaseView } from '../lifecycle/fold.js';
import { releaseGates, type GateAt } from './address.js';
import { evaluateApproval, openedAt } from './approvals.js';
import { activeFreezes, evaluateFreeze, evaluateWindow } from './calendar.js';
import { evaluateChecklist } from './checklists.js';
import { gateIds } from './ids.js';
import { overridableFreezes, skipEntry } from './skips.js';
import type { CheckResult, GateInput, GateState, GateStatus } from './state.js';

/*
 * Gate evaluation: a pure function of the gate, the release's events, the clock and the check
 * results, so a laptop and CI reach the same answer. Every kind is evaluated; a gate is never
 * silently passed (a name missing from `calendars` fails it).
 */

export type { CheckResult, GateDecision, GateInput, GateState, GateStatus } from './state.js';

function checkReason(name: string, result: CheckResult): string {
  const time = formatDuration(result.durationMs);
  const attempts = result.attempts > 1 ? ` (${result.attempts} attempts)` : '';
  if (result.status === 'succeeded') return `check ${name} passed in ${time}${attempts}`;
  if (result.status === 'timed_out') return `check ${name} timed out after ${time}${attempts}`;
  const why = result.exitCode !== null ? `exit ${result.exitCode}` : result.signal ? `killed by ${result.signal}` : 'did not start';
  return `check ${name} failed (${why}) after ${time}${attempts}`;
}

function evaluateWait(at: GateAt, wait: string, input: GateInput): GateState {
  const opened = openedAt(at, input.events);
  if (!opened) return { status: 'pending', reason: `waits ${wait} once reached` };
  const until = new Date(opened.getTime() + (parseDuration(wait) ?? 0));
  // The end is never rounded down (22:33:45.2 says 22:33:46), the start never up; seconds when not zero.
  const clock = (d: Date, round: (n: number) => number = Math.floor): string => {
    const whole = new Date(round(d.getTime() / 1000) * 1000);
    return `${whole.toISOString().slice(11, whole.getUTCSeconds() === 0 ? 16 : 19)} UTC`;
  };
  if (input.now >= until) return { status: 'passed', reason: `waited ${wait} since ${clock(opened)}, until ${clock(until, Math.ceil)}` };
  const left = formatDuration(Math.ceil((until.getTime() - input.now.getTime()) / 1000) * 1000);
  return { status: 'pending', reason: `waiting ${wait} since ${clock(opened)}: ${left} left, until ${clock(until, Math.ceil)}`, changesAt: until.toISOString() };
}

/** The state of one gate as its kind alone decides it, the emergency track aside. */
function evaluateKind(at: GateAt, input: GateInput): GateState {
  const gate = at.gate;
  if (gate.check !== undefined) {
    const result = input.checks.get(gate.check);
    if (!result) return { status: 'pending', reason: `check ${gate.check} has not run yet` };
    return { status: result.status === 'succeeded' ? 'passed' : 'failed', reason: checkReason(gate.check, result) };
  }
  if (gate.approval) return evaluateApproval(at, input);
  if (gate.checklist) return evaluateChecklist(at, input);
  if (gate.window !== undefined) return evaluateWindow(input.config.calendars, gateIds(gate), input.now);
  if (gate.freeze !== undefined) return evaluateFreeze(input.config.calendars, gateIds(gate), input.now, input.config.schedule);
  if (gate.wait !== undefined) return evaluateWait(at, gate.wait, input);
  return { status: 'failed', reason: `${at.where}: a gate of no known kind` };
}

/** What a skipped gate was, without a live countdown: a wait that was still running says only how long it waits. */
function settledReason(at: GateAt, state: GateState): string {
  return at.gate.wait !== undefined && state.status === 'pending' ? `waits ${at.gate.wait}` : state.reason;
}

/**
 * The state of one gate of the release config, for this plan, now. On the emergency track a gate
 * named by `tracks.emergency.skip` is `skipped` (with the state it had), and a freeze gate whose
 * active freezes are all in `override_freezes` is `skipped` with those freezes in `overridden`; one
 * held by another freeze stays pending on that freeze alone (its `changesAt` ignores the overridable ones).
 */
export function evaluateGate(at: GateAt, input: GateInput): GateState {
  const state = evaluateKind(at, input);
  const skip = skipEntry(at, input.config, input.release.track);
  if (skip) {
    const status = state.status as Exclude<GateStatus, 'skipped'>;
    // A skipped gate is settled: no changesAt, no one to wait for.
    const skipped: GateState = { ...state, status: 'skipped', skippedState: status, reason: `skipped by the emergency track (it was ${status}: ${settledReason(at, state)}; skip: ${skip})` };
    delete skipped.changesAt;
    delete skipped.waitingFor;
    return skipped;
  }
  if (at.kind === 'freeze' && state.status === 'pending') {
    const calendars = input.config.calendars;
    const names = gateIds(at.gate);
    const active = activeFreezes(calendars, names, input.now, input.config.schedule);
    const allowed = overridableFreezes(input.config, input.release.track);
    const overridden = active.filter((name) => allowed.includes(name));
    if (active.length > 0 && overridden.length === active.length) {
      return { status: 'skipped', skippedState: 'pending', overridden: active, reason: `the emergency track overrides freeze ${active.join(', ')} (${state.reason})` };
    }
    const held = names.filter((name) => !allowed.includes(name));
    if (held.length < names.length) {
      const rest = evaluateFreeze(calendars, held, input.now, input.config.schedule);
      const note = overridden.length > 0 ? ` (${overridden.join(', ')} ${overridden.length > 1 ? 'are' : 'is'} overridden by the emergency track)` : '';
      return { ...rest, reason: `${rest.reason}${note}` };
    }
  }
  return state;
}

/** Every gate of the release config with its state now, in the order the release meets them (for status and the runner). */
export function evaluateRelease(
  config: Config | null,
  release: Pick<ReleaseView, 'gateEvents' | 'initiator' | 'track'>,
  now: Date,
  checks: ReadonlyMap<string, CheckResult> = new Map(),
): { at: GateAt; state: GateState }[] {
  if (!config) return [];
  const input: GateInput = { events: release.gateEvents, now, checks, config, release: { initiator: release.initiator, track: release.track } };
  return releaseGates(config).map((at) => ({ at, state: evaluateGate(at, input) }));
}
