import { gateLabel, type GateAt, humanGate } from '../core/gates/address.js';
import { decideCommand } from '../core/gates/lookup.js';
import type { GateState } from '../core/gates/evaluate.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { stoppedNext } from '../core/lifecycle/next.js';
import { formatDuration } from '../core/duration.js';
import { RelmgrError } from '../errors.js';

/** A gate and its state now. */
export interface Evaluated {
  at: GateAt;
  state: GateState;
}

const envFlag = (at: GateAt): string => (at.env === null ? '' : ` --env ${at.env}`);

/** The required checklist items nobody eligible has attested yet. */
export function missingItems(s: Evaluated): { id: string; text: string }[] {
  const items = s.at.gate.checklist?.items ?? [];
  const done = new Set((s.state.decisions ?? []).filter((d) => d.decision === 'attested' && !d.ignored).map((d) => d.item));
  return items.filter((item) => item.required !== false && !done.has(item.id)).map((item) => ({ id: item.id, text: item.text }));
}

/** The command that satisfies a pending human gate, or null (time gates pass by themselves). */
export function gateCommand(s: Evaluated): string | null {
  if (s.state.status !== 'pending') return null;
  if (s.at.kind === 'approval') return decideCommand(s.at);
  if (s.at.kind === 'checklist') {
    const missing = missingItems(s);
    const item = missing.length === 1 ? (missing[0] as { id: string }).id : `<${missing.map((m) => m.id).join('|')}>`;
    return `relmgr attest${envFlag(s.at)} --checklist ${s.at.id} --item ${item}`;
  }
  return null;
}

/** Whether a gate stopped the plan (rejected, timed out): then no decision moves it on, and none is offered. */
export const planStopped = (gates: readonly Evaluated[]): boolean => gates.some((g) => g.state.status === 'rejected' || g.state.status === 'timed_out');

/** A gate as `--json` and status show it (`stopped`: the plan was stopped by a gate; no command is offered). */
export function gateDocument(s: Evaluated, stopped = false): Record<string, unknown> {
  const command = stopped ? null : gateCommand(s);
  return {
    id: s.at.id,
    kind: s.at.kind,
    where: s.at.where,
    env: s.at.env,
    state: s.state.status,
    reason: s.state.reason,
    ...(s.state.waitingFor ? { waitingFor: s.state.waitingFor } : {}),
    ...(s.state.changesAt ? { changesAt: s.state.changesAt } : {}),
    ...(s.state.decisions ? { decisions: s.state.decisions.map((d) => ({ ...d, by: d.by.email, name: d.by.name })) } : {}),
    ...(s.state.skippedState ? { skippedState: s.state.skippedState } : {}),
    ...(s.state.overridden ? { overridden: s.state.overridden } : {}),
    ...(command ? { command } : {}),
  };
}

/** Gates that hold a phase: exit 11 when one rejected, else 12 when one timed out, else 10 (pending). */
export class GatesHeld extends RelmgrError {
  constructor(
    readonly gates: readonly Evaluated[],
    message: string,
    hint: string,
  ) {
    const outcome = gates.some((g) => g.state.status === 'rejected') ? 'E_GATE_REJECTED' : gates.some((g) => g.state.status === 'timed_out') ? 'E_GATE_TIMED_OUT' : 'E_GATE_PENDING';
    const stopped = planStopped(gates);
    const command = (g: Evaluated): string => {
      const text = stopped ? null : gateCommand(g);
      return text ? ` — ${text}` : '';
    };
    super(outcome, message, { hint, details: gates.map((g) => `${g.at.where} ${gateLabel(g.at)}: ${g.state.reason}${command(g)}`), data: { gates: gates.map((g) => gateDocument(g, stopped)) } });
  }

  get outcome(): 'pending' | 'rejected' | 'timed_out' {
    return this.code === 'E_GATE_REJECTED' ? 'rejected' : this.code === 'E_GATE_TIMED_OUT' ? 'timed_out' : 'pending';
  }
}

/** `2026-11-30 08:01 UTC`: an instant rounded up to the minute, so running again then is never too early. */
export function utcMinute(instant: Date): string {
  const up = new Date(Math.ceil(instant.getTime() / 60_000) * 60_000);
  return `${up.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `--wait 6h33m`, up to a day ahead: a minute past when the time gates clear. */
function waitFor(ms: number): string | null {
  if (ms > 24 * 3_600_000) return null;
  return formatDuration(Math.ceil(ms / 60_000) * 60_000 + 60_000);
}

export interface HeldTiming {
  now: Date;
  /** When every window, freeze and wait gate among them passes at once (null: cannot tell). */
  clearsAt: Date | null;
}

/** The error for gates that are not satisfied: each with its reason, and what gets the release on. */
export function heldError(release: ReleaseView, unmet: readonly Evaluated[], again: string, timing?: HeldTiming): GatesHeld {
  const unique = unmet.filter((s, i) => unmet.findIndex((o) => o.at.key === s.at.key) === i);
  const count = unique.length === 1 ? 'a gate' : `${unique.length} gates`;
  const final = unique.filter((s) => s.state.status === 'rejected' || s.state.status === 'timed_out');
  if (final.length > 0) {
    const how = final.map((s) => `${gateLabel(s.at)} ${s.state.status === 'rejected' ? 'rejected' : 'timed out'}`).join(', ');
    return new GatesHeld(unique, `${release.version} stops at ${count}: ${how}`, `see who decided what with: relmgr status; then ${stoppedNext(release)}`);
  }
  const commands = unique.map(gateCommand).filter((c): c is string => c !== null);
  const timed = unique.some((s) => !humanGate(s.at));
  const clears = timed && timing?.clearsAt ? timing.clearsAt : null;
  // People: an hour, or until the first approval times out if that is sooner.
  const timeouts = unique.filter((s) => humanGate(s.at) && s.state.changesAt).map((s) => Date.parse(s.state.changesAt as string));
  const human = timing && timeouts.length > 0 ? Math.min(3_600_000, Math.min(...timeouts) - timing.now.getTime()) : 3_600_000;
  const wait = clears && timing ? waitFor(clears.getTime() - timing.now.getTime()) : commands.length > 0 ? formatDuration(Math.max(60_000, Math.ceil(human / 60_000) * 60_000)) : null;
  const orWait = wait ? `, or wait for ${unique.length === 1 ? 'it' : 'them'}: ${again} --wait ${wait}` : '';
  const rerun = clears ? `run ${again} again after ${utcMinute(clears)}${orWait}` : `run ${again} again once ${unique.length === 1 ? 'it passes' : 'they pass'}${orWait}`;
  const hint = commands.length > 0 ? `an eligible person runs ${commands.join(' and ')}; then ${rerun}` : rerun;
  return new GatesHeld(unique, `${release.version} waits at ${count} (pending)`, hint);
}

