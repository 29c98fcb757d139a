import type { Context } from '../context.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { deployedTo, deployOrder, environmentsBefore } from '../core/lifecycle/environments.js';
import { openLifecycle, runLifecyclePhase, type Lifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { refuseRunning } from '../engine/liveness.js';
import { isRelmgrError, PreconditionError, UsageError } from '../errors.js';
import { waitForEnvLock } from '../engine/env-lock.js';
import { current, withRollback } from '../engine/rollback.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { runPhase } from '../ui/phase-done.js';
import type { PhaseRef } from '../core/lifecycle/phases.js';
import { phaseHeading } from '../ui/phase-heading.js';
import { progressReporter } from '../ui/progress.js';

export interface DeployOptions extends LifecycleOptions, WaitOptions {
  dotenv?: string;
  redeploy?: boolean;
}

/** `relmgr deploy <env>`: the deploy phase in one environment — its gates and steps, in promotion order. */
export async function run(ctx: Context, env: string, options: DeployOptions): Promise<number> {
  const watch = gateWatch(ctx, options, `relmgr deploy ${env}`);
  const lifecycle = await openLifecycle(ctx, options, `deploy ${env}`, progressReporter(ctx, options));
  try {
    refuseUnknown(lifecycle, env);
    const again = `relmgr deploy ${env}${options.redeploy ? ' --redeploy' : ''}`;
    const ref: PhaseRef = { phase: 'deploy', env };
    for (;;) {
      // The environment's lock first (exit 10, or --wait for it); then whether this release may go there, as it is by then.
      await waitForEnvLock(lifecycle.session, env, watch, again, () => ctx.wallClock.now(), ctx.sleep);
      refuseFresh(current(lifecycle), lifecycle, env, options);
      phaseHeading(ctx, ref, lifecycle.release.version);
      try {
        return await runPhase(ctx, options, lifecycle, ref, () => withRollback(ctx, lifecycle, ref, watch, () => runLifecyclePhase(ctx, lifecycle, ref, null, watch)));
      } catch (error) {
        // Another machine took the environment between the look and the start: with --wait, wait for it.
        if (isRelmgrError(error) && error.code === 'E_ENV_LOCKED' && watch.until !== null && ctx.wallClock.now().getTime() < watch.until) continue;
        throw error;
      }
    }
  } finally {
    await lifecycle.session.close();
  }
}

/** An environment the config defines. */
function refuseUnknown({ input }: Lifecycle, env: string): void {
  const known = deployOrder(input.config);
  if (!known.includes(env)) {
    throw new UsageError('E_UNKNOWN_ENV', `no environment "${env}" in the release config`, {
      hint: known.length > 0 ? `deploy to one of: ${known.map((e) => `relmgr deploy ${e}`).join(', ')}` : 'define one under environments: in the release config (relmgr validate checks it)',
    });
  }
}

/** A deploy needs a tested release, the environments before it done, and --redeploy to go again. */
function refuseFresh(release: ReleaseView, { session, input }: Lifecycle, env: string, options: DeployOptions): void {
  const config = input.config;
  refuseRunning(release, session.here);
  if (release.state === 'abandoned' || release.state === 'closed') throw new PreconditionError('E_STATE', `release ${release.version} is ${release.state}`, { hint: 'plan a new one: relmgr plan' });
  if (release.phases.test.state !== 'succeeded') {
    throw new PreconditionError('E_STATE', `release ${release.version} is not tested yet (${release.state})`, { hint: release.phases.build.state === 'succeeded' ? 'test it first: relmgr test' : 'cut it first: relmgr cut' });
  }
  const missing = environmentsBefore(config, env).filter((before) => !deployedTo(release, before));
  if (missing.length > 0) {
    throw new PreconditionError('E_ORDER', `${env} comes after ${missing.join(', ')} in phases.deploy.order, and ${release.version} has not been deployed there yet`, {
      hint: `relmgr deploy ${missing[0]}`,
    });
  }
  const attempts = release.environments[env]?.deploy;
  const rollback = release.environments[env]?.rollback?.attempts.at(-1);
  if (rollback?.state === 'succeeded' && rollback.startedAt > (attempts?.attempts.at(-1)?.startedAt ?? '')) {
    if (options.redeploy) return;
    throw new PreconditionError('E_STATE', `${release.version} was rolled back in ${env} (to ${String(rollback.result.to ?? 'the version before')})`, { hint: `deploy it again with: relmgr deploy ${env} --redeploy` });
  }
  if (attempts?.state === 'interrupted' || attempts?.state === 'failed') {
    throw new PreconditionError('E_STATE', `the deploy of ${release.version} to ${env} ${attempts.state === 'failed' ? 'failed' : 'was interrupted'}`, { hint: 'continue it with: relmgr resume' });
  }
  if (deployedTo(release, env) && !options.redeploy) {
    throw new PreconditionError('E_STATE', `${release.version} is already deployed to ${env}`, { hint: `deploy it again with: relmgr deploy ${env} --redeploy` });
  }
}
