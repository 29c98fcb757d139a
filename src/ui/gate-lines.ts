import { gateLabel } from '../core/gates/address.js';
import type { GateDecision } from '../core/gates/evaluate.js';
import { when } from '../core/lifecycle/next.js';
import { gateCommand, planStopped, type Evaluated } from '../engine/gates-held.js';

const MARK: Record<string, string> = { passed: '✔', skipped: '↷', pending: '…', rejected: '✖', timed_out: '✖', failed: '✖' };

function decisionLine(d: GateDecision): string {
  const what = d.item ? `${d.decision} ${d.item}` : d.decision;
  const extra = [d.comment ? `“${d.comment}”` : null, d.evidence ? `evidence ${d.evidence}` : null, d.ignored ? `(does not count: ${d.ignored})` : null].filter(Boolean).join(' ');
  return `${what} by ${d.by.name} <${d.by.email}> at ${when(d.at)}${extra ? ` ${extra}` : ''}`;
}

/** The release's gates for people: one line each with its state and reason, who decided what, and the command that satisfies it. */
export function gateLines(gates: readonly Evaluated[]): string[] {
  const lines: string[] = [];
  // Once a gate stopped the plan (rejected, timed out), no decision moves it on: no commands to offer.
  const stopped = planStopped(gates);
  for (const g of gates) {
    const status = g.state.status.replace('_', ' ');
    lines.push(`  ${MARK[g.state.status] ?? '·'} ${g.at.where}: ${gateLabel(g.at)}  ${status}: ${g.state.reason}`);
    for (const d of g.state.decisions ?? []) lines.push(`      ${decisionLine(d)}`);
    const command = stopped ? null : gateCommand(g);
    if (command) lines.push(`      → ${command}`);
  }
  return lines;
}
