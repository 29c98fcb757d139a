import type { Context } from '../context.js';
import { plannedModel, renderNotes } from '../engine/release-files.js';
import { printJson } from '../ui/output.js';
import { openLifecycle, type LifecycleOptions } from '../engine/lifecycle.js';

/** `relmgr notes`: the release notes and install instructions of a release, from the same model as cut. */
export async function run(ctx: Context, options: LifecycleOptions): Promise<number> {
  // Reads only: opened in record mode, so nothing it touches is changed or locked.
  const { input } = await openLifecycle(ctx, options, 'notes', undefined, 'record');
  const model = await plannedModel(input);
  const { notes, install } = await renderNotes(input, model);
  if (options.json) printJson(ctx.stdout, { notes, install, model });
  else ctx.stdout.write(`${notes}\n${install}`);
  return 0;
}
