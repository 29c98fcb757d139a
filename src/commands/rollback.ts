import type { Context } from '../context.js';
import { openLifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { refuseRunning } from '../engine/liveness.js';
import { waitForEnvLock } from '../engine/env-lock.js';
import { current, rollbackTarget, runRollback } from '../engine/rollback.js';
import { isRelmgrError, PreconditionError, UsageError } from '../errors.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { printPhaseDone } from '../ui/phase-done.js';
import { phaseHeading } from '../ui/phase-heading.js';
import { progressReporter } from '../ui/progress.js';

export interface RollbackOptions extends LifecycleOptions, WaitOptions {
  to?: string;
  reason?: string;
  dotenv?: string;
}

/** `relmgr rollback <env> --reason …`: puts back the version the environment ran before this release (or `--to` one that ran there), recorded. */
export async function run(ctx: Context, env: string, options: RollbackOptions): Promise<number> {
  const reason = options.reason?.trim() ?? '';
  if (reason === '') {
    throw new UsageError('E_REASON_REQUIRED', 'a rollback needs --reason: the ledger keeps why an environment was rolled back', { hint: `relmgr rollback ${env} --reason "…"` });
  }
  const watch = gateWatch(ctx, options, `relmgr rollback ${env}`);
  const lifecycle = await openLifecycle(ctx, options, `rollback ${env}`, progressReporter(ctx, options));
  try {
    const { session } = lifecycle;
    const again = `relmgr rollback ${env}${options.to ? ` --to ${options.to}` : ''} --reason ${JSON.stringify(reason)}`;
    for (;;) {
      await waitForEnvLock(session, env, watch, again, () => ctx.wallClock.now(), ctx.sleep);
      const release = current(lifecycle);
      refuseRunning(release, session.here);
      if (release.state === 'abandoned') throw new PreconditionError('E_STATE', `release ${release.version} was abandoned: it never ran anywhere`, { hint: 'see what runs where with: relmgr status' });
      const target = await rollbackTarget(lifecycle, env, options.to);
      phaseHeading(ctx, { phase: 'rollback', env }, release.version);
      try {
        const outcome = await runRollback(ctx, lifecycle, target, watch, { reason });
        const code = await printPhaseDone(ctx, options, lifecycle, outcome);
        // A dry run says where the real rollback would go: the version it puts back.
        if (lifecycle.recording && !options.json) ctx.stdout.write(`It would put back ${target.to} in ${env} (RELMGR_PREVIOUS_VERSION=${target.to}), rolling back ${target.from}.\n`);
        return code;
      } catch (error) {
        if (isRelmgrError(error) && error.code === 'E_ENV_LOCKED' && watch.until !== null && ctx.wallClock.now().getTime() < watch.until) continue;
        throw error;
      }
    }
  } finally {
    await lifecycle.session.close();
  }
}
