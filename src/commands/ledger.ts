import type { Context } from '../context.js';
import type { LedgerEvent } from '../core/lifecycle/events.js';
import { openSession } from '../engine/session.js';
import { printJson } from '../ui/output.js';
import { prepare, type GlobalOptions } from '../engine/prepare.js';

export interface LedgerCommandOptions extends GlobalOptions {
  release?: string;
}

/** `relmgr ledger sync`: fetch, merge and push the ledger now. */
export async function sync(ctx: Context, options: LedgerCommandOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  // No read-only fetch first: sync fetches (and pushes) itself, with the full network timeout.
  const session = await openSession(ctx, prepared, { write: false, pull: false });
  const remote = session.ledger.options.remote;
  if (remote === null) {
    ctx.stderr.write('the ledger is local (no remote, or audit.ledger.push: never): nothing to sync\n');
    if (options.json) printJson(ctx.stdout, { remote: null, pushed: false });
    return 0;
  }
  const report = await session.ledger.sync();
  const state = await session.refresh();
  if (options.json) printJson(ctx.stdout, { remote, ...report, open: state.open?.version ?? null });
  else {
    const got = report.merged === 'none' ? null : `merged (${report.merged})`;
    const what = [got, report.pushed ? 'pushed' : null].filter(Boolean).join(', ') || 'up to date';
    ctx.stderr.write(`ledger ${session.ledger.options.branch} synced with ${remote}: ${what}\n`);
  }
  return 0;
}

/** What an event line says besides its type: the step, the reason, or the effect (which one, and where). */
function detailOf(e: LedgerEvent): string {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  if (text(e.data.name)) return text(e.data.name);
  // A gate or a decision: which gate, and what was decided.
  if (text(e.data.where) && (text(e.data.gate) || text(e.data.checklist))) {
    const gate = text(e.data.checklist) ? `${text(e.data.checklist)} ${text(e.data.item)}: ${text(e.data.answer)}` : text(e.data.gate);
    const said = text(e.data.comment) || text(e.data.reason);
    return `${text(e.data.where)} ${gate}${said ? ` — ${said}` : ''}`;
  }
  if (e.type === 'phase.gated') return `waits at a gate (${text(e.data.outcome)})`;
  if (text(e.data.reason)) return text(e.data.reason);
  if (e.type === 'effect.applied') {
    const kind = text(e.data.kind);
    const where = kind === 'push' ? `to ${text(e.data.remote)}` : kind === 'tag' ? text(e.data.tag) : kind === 'commit' ? text(e.data.commit).slice(0, 7) : '';
    return [kind, where].filter(Boolean).join(' ');
  }
  if (e.type === 'effect.failed') return [text(e.data.kind), text(e.data.code)].filter(Boolean).join(' ');
  if (e.type === 'effect.undone' && Array.isArray(e.data.kinds)) return e.data.kinds.filter((k) => typeof k === 'string').join(', ');
  return '';
}

/** `relmgr ledger log`: the events, oldest first. */
export async function log(ctx: Context, options: LedgerCommandOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  // The session reads the whole ledger, and names what it cannot read (a newer relmgr's events) once.
  const session = await openSession(ctx, prepared, { write: false, all: true });
  const events = (await session.ledger.read()).filter((e) => options.release === undefined || e.release === options.release);
  if (options.json) {
    printJson(ctx.stdout, events);
    return 0;
  }
  if (events.length === 0) ctx.stderr.write('the ledger has no events yet (relmgr plan records the first)\n');
  for (const e of events) {
    const where = [e.phase, e.env].filter(Boolean).join('/');
    ctx.stdout.write(`${e.at}  ${e.release.padEnd(10)} ${e.type.padEnd(20)} ${where ? `${where} ` : ''}${detailOf(e)}  by ${e.actor.name} <${e.actor.email}>\n`);
  }
  return 0;
}

export const run = log;
