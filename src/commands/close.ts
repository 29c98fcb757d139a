import type { Context } from '../context.js';
import { alreadyClosed, closeRelease, refuseClose } from '../engine/closing.js';
import { openLifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { prepare } from '../engine/prepare.js';
import { openSession } from '../engine/session.js';
import { isRelmgrError, PreconditionError } from '../errors.js';
import { releaseOutputs, writeCiOutputs } from '../ui/ci-outputs.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { isInteractive } from '../ui/interactive.js';
import { printJson } from '../ui/output.js';
import { progressReporter } from '../ui/progress.js';

export interface CloseOptions extends LifecycleOptions, WaitOptions {
  note?: string;
  dotenv?: string;
}

/** `relmgr close`: the feedback phase, then the release closed with its review note and outcome. */
export async function run(ctx: Context, options: CloseOptions): Promise<number> {
  const watch = gateWatch(ctx, options, 'relmgr close');
  const lifecycle = await openLifecycle(ctx, options, 'close', progressReporter(ctx, options)).catch(async (error: unknown) => {
    if (isRelmgrError(error) && error.code === 'E_NO_RELEASE' && options.release === undefined) await explainNothingOpen(ctx, options);
    throw error;
  });
  try {
    const outcome = refuseClose(lifecycle);
    const note = await askNote(ctx, options, lifecycle.release.version);
    const { release, steps } = await closeRelease(ctx, lifecycle, watch, note, outcome);
    const closed = release.closed;
    const by = closed ? { name: closed.actor.name, email: closed.actor.email } : null;
    if (options.json) printJson(ctx.stdout, { version: release.version, tag: release.tag, state: 'closed', outcome, note, closedBy: by, closedAt: closed?.at ?? null, steps, next: 'relmgr plan' });
    else ctx.stdout.write(`Closed ${release.version} (outcome: ${outcome.replace('_', ' ')})${steps > 0 ? `: ${steps} step${steps === 1 ? '' : 's'} passed` : ''}\nNext: relmgr plan\n`);
    await writeCiOutputs(ctx, releaseOutputs({ version: release.version, tag: release.tag, state: 'closed', environment: null, released: true }), { dotenv: options.dotenv, command: `relmgr close: ${release.version}` });
    return 0;
  } finally {
    await lifecycle.session.close();
  }
}

/** The review note: --note; at a terminal, asked for (an empty answer records none); never asked in CI. */
async function askNote(ctx: Context, options: CloseOptions, version: string): Promise<string | null> {
  if (options.note !== undefined) return options.note.trim() === '' ? null : options.note;
  if (!isInteractive(ctx, options)) return null;
  const answer = await ctx.prompts('relmgr close').text(`Review note for ${version} (how did it go? empty for none)`, '');
  return answer.trim() === '' ? null : answer.trim();
}

/** Nothing is open because the newest release was closed (or abandoned): say so, not "no open release". */
async function explainNothingOpen(ctx: Context, options: CloseOptions): Promise<void> {
  const prepared = await prepare(ctx, options);
  const session = await openSession(ctx, prepared, { write: false, pull: false });
  try {
    const newest = session.state.releases.at(-1);
    if (newest?.closed) throw alreadyClosed(newest);
    if (newest?.abandoned) throw new PreconditionError('E_STATE', `release ${newest.version} was abandoned: there is nothing to close`, { hint: 'plan a new one: relmgr plan' });
  } finally {
    await session.close();
  }
}
