import type { Context } from '../context.js';
import { releaseOutputs, writeCiOutputs } from '../ui/ci-outputs.js';
import { printJson } from '../ui/output.js';
import { parseTrack, prepare, type GlobalOptions } from '../engine/prepare.js';
import { UsageError } from '../errors.js';

export interface NextCommandOptions extends GlobalOptions {
  pre?: string;
  releaseAs?: string;
  track?: string;
  dotenv?: string;
  pick?: string[];
}

/** `relmgr next`: the bare next version on stdout; everything else on stderr. */
export async function run(ctx: Context, options: NextCommandOptions): Promise<number> {
  const track = parseTrack(options.track);
  // Start git first, then load the version engine while git works (start-up budget).
  const preparing = prepare(ctx, options);
  preparing.catch(() => undefined);
  const { computeNext } = await import('../engine/next-version.js');
  const { git, info, settings } = await preparing;
  const picks = options.pick ?? [];
  if (picks.length > 0 && (track !== 'emergency' || options.releaseAs !== undefined)) {
    throw new UsageError('E_USAGE', `--pick makes a hotfix, which is ${track === 'emergency' ? 'always a patch (--release-as does not apply)' : 'the emergency track'}`, { hint: `relmgr next --track emergency --pick ${picks.join(' ')}` });
  }
  // A hotfix's version depends on what production runs: the ledger is read for it (plan computes the same).
  const { result } =
    picks.length > 0
      ? await (await import('../engine/hotfix-plan.js')).hotfixFor(ctx, await preparing, { picks, pre: options.pre, again: `relmgr next --track emergency --pick ${picks.join(' ')}` })
      : await computeNext(git, settings, { fs: ctx.fs, pre: options.pre, releaseAs: options.releaseAs, track }, info);
  for (const warning of result.warnings) ctx.stderr.write(`warning: ${warning}\n`);
  if (options.json) {
    const { message: _message, ...data } = result;
    printJson(ctx.stdout, data);
  } else if (result.next !== null) {
    ctx.stdout.write(`${result.next}\n`);
  }
  if (result.next === null) ctx.stderr.write(`${result.message ?? 'nothing to release'}\n`);
  await writeCiOutputs(
    ctx,
    releaseOutputs({ version: result.next ?? '', tag: result.tag ?? '', state: result.next === null ? 'none' : 'due', released: result.next !== null }, { bump: result.bump }),
    {
      dotenv: options.dotenv,
      summary: result.next
        ? `### relmgr next: ${result.next}\n\n${result.bump} bump from ${result.current ?? 'nothing'} (${result.commits} commits)\n`
        : `### relmgr next: nothing to release\n`,
    },
  );
  return 0;
}
