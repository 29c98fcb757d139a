import type { Config } from '../core/config/schema.js';
import { releaseGates, type GateAt, gateLabel, humanGate } from '../core/gates/address.js';
import { approvalRules } from '../core/gates/eligibility.js';
import { eligiblePeople } from '../core/gates/ids.js';
import { evaluateGate, type CheckResult } from '../core/gates/evaluate.js';
import { checkStepName } from '../core/gates/plan.js';
import { phaseState, type ReleaseView } from '../core/lifecycle/fold.js';
import { stoppedNext } from '../core/lifecycle/next.js';
import { phaseCommand, phaseDef } from '../core/lifecycle/phases.js';
import { phasesAhead } from '../core/lifecycle/walk.js';
import type { Deployment } from '../core/lifecycle/deployments.js';
import { gateCommand, utcMinute, type Evaluated } from './gates-held.js';
import { clearAt } from '../core/gates/clear.js';

/**
 * A check gate's result as the ledger has it: the step it ran as in its phase's last attempt
 * (`check <name>`), or nothing when it has not run. The build meets the plan's exit gates.
 */
function checkResults(release: ReleaseView, at: GateAt): Map<string, CheckResult> {
  const phase = at.phase === 'plan' ? 'build' : at.phase;
  const attempt = phaseState(release, { phase, env: at.env }).attempts.at(-1);
  const step = at.gate.check ? attempt?.steps.findLast((s) => s.name === checkStepName(at.gate.check as string)) : undefined;
  if (!step || (step.state !== 'succeeded' && step.state !== 'failed')) return new Map();
  const result: CheckResult = { status: step.state === 'succeeded' ? 'succeeded' : step.timedOut ? 'timed_out' : 'failed', exitCode: step.exitCode, attempts: step.attempts, durationMs: step.durationMs ?? 0 };
  return new Map([[at.id, result]]);
}

/** Every gate of the release config, evaluated for this release now: what `status` shows. */
export function releaseGateStates(config: Config | null, release: ReleaseView, now: Date): Evaluated[] {
  if (config === null) return [];
  return releaseGates(config).map((at) => ({ at, state: evaluateGate(at, { events: release.gateEvents, now, checks: checkResults(release, at), config, release }) }));
}

/**
 * What the release's next phase waits for at its gates, for `Next:`: the gate that stopped it
 * (rejected, timed out), or each pending approval or checklist as the command that records it and
 * who may run it.
 */
export function gatesAhead(config: Config | null, release: ReleaseView, gates: readonly Evaluated[], now: Date, history?: readonly Deployment[]): Ahead {
  // The next phase the release goes through: the next environment in promotion order, say.
  const ref = phasesAhead(release, config, history)[0];
  const next = ref ? phaseDef(ref.phase) : undefined;
  if (!ref || !next || release.state === 'abandoned' || config === null) return { command: null, stopped: null, decisions: [], clearsAt: null, timed: [] };
  const wheres = new Set([...next.entry(config, ref.env), ...next.exit(config, ref.env)].map((set) => set.where));
  const ahead = gates.filter((g) => wheres.has(g.at.where));
  const stopped = ahead.find((g) => g.state.status === 'rejected' || g.state.status === 'timed_out') ?? null;
  const decisions = ahead.flatMap((g) => {
    const command = gateCommand(g);
    return command ? [`${command}${g.state.waitingFor?.length ? ` (by ${g.state.waitingFor.join(', ')})` : ''}`] : [];
  });
  // Windows, freezes and waits that hold it: when they all pass at once (a check is run, not waited for).
  const timed = ahead.filter((g) => g.state.status === 'pending' && !humanGate(g.at) && g.at.kind !== 'check');
  const input = { events: release.gateEvents, now, checks: new Map(), config, release };
  const clearsAt = timed.length > 0 ? clearAt(timed.map((g) => g.at), input) : null;
  return { command: phaseCommand(ref), stopped, decisions, clearsAt, timed };
}


interface Ahead {
  /** The command of the next phase. */
  command: string | null;
  stopped: Evaluated | null;
  decisions: string[];
  clearsAt: Date | null;
  timed: Evaluated[];
}

/**
 * `Next:` with the gates in view: what the next phase's gates wait for — the gate that stopped the
 * release, or the decisions to record first (the command, who may run it), and when its time gates
 * clear — around `after`, the command the lifecycle says comes next.
 */
export function nextWithGates(config: Config | null, release: ReleaseView, gates: readonly Evaluated[], after: string, now: Date, history?: readonly Deployment[]): string {
  if (release.running || release.interrupted || release.state === 'failed') return after;
  const ahead = gatesAhead(config, release, gates, now, history);
  if (ahead.stopped) return `${stoppedNext(release)} (${gateLabel(ahead.stopped.at)} ${ahead.stopped.state.status === 'rejected' ? 'rejected it' : 'timed out'})`;
  const names = ahead.timed.map((g) => gateLabel(g.at)).join(', ');
  const when = ahead.command && after.startsWith(ahead.command) && ahead.timed.length > 0 ? ` (${ahead.clearsAt ? `not before ${utcMinute(ahead.clearsAt)}` : 'once they pass'}: ${names})` : '';
  const then = `${after}${when}`;
  return ahead.decisions.length > 0 ? `${ahead.decisions.join('; ')}; then ${then}` : then;
}

/**
 * The approval rules this release can never meet because its initiator is one of the few people
 * eligible (the initiator may not approve unless `allow_self`): one line each, for a warning at plan.
 */
export function unpassableApprovals(config: Config | null, release: ReleaseView): string[] {
  if (config === null) return [];
  const initiator = release.initiator.email.toLowerCase();
  return releaseGates(config).flatMap((at) => {
    if (!at.gate.approval || at.gate.approval.allow_self) return [];
    return approvalRules(at, config, release).flatMap((rule) => {
      const { people } = eligiblePeople(config.groups, rule.from);
      if (!people.has(initiator) || rule.min <= people.size - 1) return [];
      return [`${gateLabel(at)} (${at.where}) needs ${rule.min} of ${[rule.from].flat().join(', ')} and ${release.initiator.email} planned this release (the initiator may not approve): it can never pass — plan it as someone else, or give the gate allow_self: true`];
    });
  });
}
