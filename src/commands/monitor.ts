import type { Context } from '../context.js';
import { openLifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { runMonitor } from '../engine/monitoring.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { runPhase } from '../ui/phase-done.js';
import { phaseHeading } from '../ui/phase-heading.js';
import { progressReporter } from '../ui/progress.js';

/** `relmgr monitor`: the monitor phase of a release in production — its steps, check gates and soak (wait) gates. */
export async function run(ctx: Context, options: LifecycleOptions & WaitOptions & { dotenv?: string }): Promise<number> {
  // --wait is checked before anything else: a bad duration is a usage error, whatever the release's state.
  const watch = gateWatch(ctx, options, 'relmgr monitor');
  const lifecycle = await openLifecycle(ctx, options, 'monitor', progressReporter(ctx, options));
  try {
    // Held at a soak wait, or failed: the CI outputs say so (runPhase), as for the other phase commands.
    return await runPhase(ctx, options, lifecycle, { phase: 'monitor', env: null }, () => runMonitor(ctx, lifecycle, watch, () => phaseHeading(ctx, { phase: 'monitor', env: null }, lifecycle.release.version)));
  } finally {
    await lifecycle.session.close();
  }
}
