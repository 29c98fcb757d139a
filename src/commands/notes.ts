import type { Context } from '../context.js';
import { plannedModel, renderNotes } from '../engine/release-files.js';
import { printJson } from '../ui/output.js';
import { releaseContext, type ReleaseOptions } from './release-context.js';

/** `relmgr notes`: the release notes and install instructions of a release, from the same model as cut. */
export async function run(ctx: Context, options: ReleaseOptions): Promise<number> {
  const { input } = await releaseContext(ctx, { ...options, dryRun: true }, 'notes');
  const model = await plannedModel(input);
  const { notes, install } = await renderNotes(input, model);
  if (options.json) printJson(ctx.stdout, { notes, install, model });
  else ctx.stdout.write(`${notes}\n${install}`);
  return 0;
}
