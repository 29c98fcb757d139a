import type { Context } from '../context.js';
import { openSession } from '../engine/session.js';
import { printJson } from '../ui/output.js';
import { prepare, type GlobalOptions } from './shared.js';

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
  else ctx.stderr.write(`ledger ${session.ledger.options.branch} synced with ${remote}: ${report.merged === 'none' ? 'up to date' : `merged (${report.merged})`}${report.pushed ? ', pushed' : ''}\n`);
  return 0;
}

/** `relmgr ledger log`: the events, oldest first. */
export async function log(ctx: Context, options: LedgerCommandOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  const session = await openSession(ctx, prepared, { write: false });
  const events = (await session.ledger.read()).filter((e) => options.release === undefined || e.release === options.release);
  for (const path of session.ledger.unreadable) ctx.stderr.write(`warning: ${path} in the ledger is not a relmgr event; ignored\n`);
  if (options.json) {
    printJson(ctx.stdout, events);
    return 0;
  }
  if (events.length === 0) ctx.stderr.write('the ledger has no events yet (relmgr plan records the first)\n');
  for (const e of events) {
    const where = [e.phase, e.env].filter(Boolean).join('/');
    const detail = typeof e.data.name === 'string' ? ` ${e.data.name}` : typeof e.data.reason === 'string' ? ` ${e.data.reason}` : '';
    ctx.stdout.write(`${e.at}  ${e.release.padEnd(10)} ${e.type.padEnd(16)} ${where ? `${where} ` : ''}${detail.trim()}  by ${e.actor.name} <${e.actor.email}>\n`);
  }
  return 0;
}

export const run = log;
