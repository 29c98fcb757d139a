import type { Context } from '../context.js';
import { rolledBackSince } from '../core/lifecycle/fold.js';
import { resumeCommand } from '../core/lifecycle/resume.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import type { Deployment } from '../core/lifecycle/deployments.js';
import { deployedTo, deployOrder, notRunningBefore } from '../core/lifecycle/environments.js';
import { openLifecycle, runLifecyclePhase, type Lifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { refuseRunning } from '../engine/liveness.js';
import { isRelmgrError, PreconditionError, UsageError } from '../errors.js';
import { waitForEnvLock } from '../engine/env-lock.js';
import { refuseUndoingHotfix } from '../engine/hotfix-guard.js';
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
      const history = await lifecycle.session.deployments();
      refuseFresh(current(lifecycle), lifecycle, env, options, history);
      await refuseUndoingHotfix(lifecycle, env, history);
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

/** A deploy needs a tested release, the environments before it running it now, and --redeploy to go again. */
function refuseFresh(release: ReleaseView, { session, input }: Lifecycle, env: string, options: DeployOptions, history: readonly Deployment[]): void {
  const config = input.config;
  refuseRunning(release, session.here);
  if (release.state === 'abandoned' || release.state === 'closed') throw new PreconditionError('E_STATE', `release ${release.version} is ${release.state}`, { hint: 'plan a new one: relmgr plan' });
  if (release.phases.test.state !== 'succeeded') {
    throw new PreconditionError('E_STATE', `release ${release.version} is not tested yet (${release.state})`, { hint: release.phases.build.state === 'succeeded' ? 'test it first: relmgr test' : 'cut it first: relmgr cut' });
  }
  const missing = notRunningBefore(config, env, release, history);
  const first = missing[0];
  if (first !== undefined) {
    const never = missing.filter((m) => !deployedTo(release, m.env)).map((m) => m.env);
    if (never.length === missing.length) {
      throw new PreconditionError('E_ORDER', `${env} comes after ${never.join(', ')} in phases.deploy.order, and ${release.version} has not been deployed there yet`, { hint: `relmgr deploy ${first.env}` });
    }
    const runs = first.now.inDoubt ? `may run ${first.now.candidates.join(' or ')}` : first.now.version === null ? 'runs nothing' : `runs ${first.now.version}`;
    throw new PreconditionError('E_ORDER', `${env} comes after ${first.env} in phases.deploy.order, and ${first.env} ${runs} now, not ${release.version}: a release is promoted from environments that run it`, {
      hint: deployedTo(release, first.env) ? `relmgr deploy ${first.env} --redeploy` : `relmgr deploy ${first.env}`,
    });
  }
  const attempts = release.environments[env]?.deploy;
  const rollback = release.environments[env]?.rollback?.attempts.at(-1);
  if (rollback?.state === 'succeeded' && rollback.startedAt > (attempts?.attempts.at(-1)?.startedAt ?? '')) {
    if (options.redeploy) return;
    throw new PreconditionError('E_STATE', `${release.version} was rolled back in ${env} (to ${String(rollback.result.to ?? 'the version before')})`, { hint: `deploy it again with: relmgr deploy ${env} --redeploy` });
  }
  // A deploy rolled back since is over: deploying again is a new deploy (--redeploy), not a resume.
  if ((attempts?.state === 'interrupted' || attempts?.state === 'failed') && !rolledBackSince(release, attempts)) {
    throw new PreconditionError('E_STATE', `the deploy of ${release.version} to ${env} ${attempts.state === 'failed' ? 'failed' : 'was interrupted'}`, { hint: `continue it with: ${attempts.state === 'failed' ? 'relmgr resume' : resumeCommand(release)}` });
  }
  if (deployedTo(release, env) && !options.redeploy) {
    throw new PreconditionError('E_STATE', `${release.version} is already deployed to ${env}`, { hint: `deploy it again with: relmgr deploy ${env} --redeploy` });
  }
}
