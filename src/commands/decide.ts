import type { Context } from '../context.js';
import { recordDecision, type DecisionOutcome, type DecisionRequest, type Verb } from '../engine/decisions.js';
import { prepare, type GlobalOptions } from '../engine/prepare.js';
import { printJson } from '../ui/output.js';

export interface DecideOptions extends GlobalOptions, Omit<DecisionRequest, 'verb'> {}

/** `relmgr approve`: records the git identity's approval of an approval gate of the open release. */
export const approve = (ctx: Context, options: DecideOptions): Promise<number> => decide(ctx, 'approve', options);
/** `relmgr reject --comment …`: records a rejection (the comment says why). */
export const reject = (ctx: Context, options: DecideOptions): Promise<number> => decide(ctx, 'reject', options);
/** `relmgr attest --checklist <id> --item <id> [--no]`: records an answer to a checklist item. */
export const attest = (ctx: Context, options: DecideOptions): Promise<number> => decide(ctx, 'attest', options);

async function decide(ctx: Context, verb: Verb, options: DecideOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  const outcome = await recordDecision(ctx, prepared, { ...options, verb });
  if (options.json) printJson(ctx.stdout, document(outcome));
  else ctx.stderr.write(text(verb, outcome, options.dryRun === true));
  return 0;
}

function document(o: DecisionOutcome): Record<string, unknown> {
  return {
    release: o.release.version,
    gate: { where: o.at.where, id: o.at.id, kind: o.at.kind, env: o.at.env },
    decision: { type: o.event.type, ...o.event.data, by: o.event.actor.email, at: o.event.at },
    recorded: o.recorded,
    already: o.already,
    state: { status: o.state.status, reason: o.state.reason, waitingFor: o.state.waitingFor ?? [] },
    next: o.next,
  };
}

const PAST: Record<Verb, string> = { approve: 'Approved', reject: 'Rejected', attest: 'Attested' };

function text(verb: Verb, o: DecisionOutcome, dryRun: boolean): string {
  const by = o.event.actor.email;
  const what =
    o.at.kind === 'checklist'
      ? `item ${String(o.event.data.item)} of checklist ${o.at.id} (${o.at.where}) of ${o.release.version}`
      : `${o.at.id} (${o.at.where}) of ${o.release.version}`;
  const answer = verb === 'attest' ? `: ${String(o.event.data.answer)}` : typeof o.event.data.comment === 'string' ? `: ${o.event.data.comment}` : '';
  const first = o.already
    ? `${what}: already ${verb === 'attest' ? `answered ${String(o.event.data.answer)}` : PAST[verb].toLowerCase()} by you on ${o.event.at}; nothing recorded`
    : dryRun
      ? `Dry run: would record ${o.event.type} for ${what} as ${by}${answer}; nothing recorded`
      : `${PAST[verb]} ${what} as ${by}${answer}`;
  return `${first}\nGate ${o.at.id}: ${o.state.status.replace('_', ' ')} — ${o.state.reason}\nNext: ${o.next}\n`;
}
