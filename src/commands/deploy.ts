import type { Context } from '../context.js';
import { deployedTo, deployOrder, environmentsBefore } from '../core/lifecycle/environments.js';
import { openLifecycle, runLifecyclePhase, type Lifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { refuseRunning } from '../engine/liveness.js';
import { PreconditionError, UsageError } from '../errors.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { printPhaseDone } from '../ui/phase-done.js';
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
    refuseFresh(lifecycle, env, options);
    phaseHeading(ctx, { phase: 'deploy', env }, lifecycle.release.version);
    const outcome = await runLifecyclePhase(ctx, lifecycle, { phase: 'deploy', env }, null, watch);
    return await printPhaseDone(ctx, options, lifecycle, outcome);
  } finally {
    await lifecycle.session.close();
  }
}

/** A deploy needs a known environment, a tested release, the environments before it done, and --redeploy to go again. */
function refuseFresh({ release, session, input }: Lifecycle, env: string, options: DeployOptions): void {
  const config = input.config;
  const known = deployOrder(config);
  if (!known.includes(env)) {
    throw new UsageError('E_UNKNOWN_ENV', `no environment "${env}" in the release config`, {
      hint: known.length > 0 ? `deploy to one of: ${known.map((e) => `relmgr deploy ${e}`).join(', ')}` : 'define one under environments: in the release config (relmgr validate checks it)',
    });
  }
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
  if (attempts?.state === 'interrupted' || attempts?.state === 'failed') {
    throw new PreconditionError('E_STATE', `the deploy of ${release.version} to ${env} ${attempts.state === 'failed' ? 'failed' : 'was interrupted'}`, { hint: 'continue it with: relmgr resume' });
  }
  if (deployedTo(release, env) && !options.redeploy) {
    throw new PreconditionError('E_STATE', `${release.version} is already deployed to ${env}`, { hint: `deploy it again with: relmgr deploy ${env} --redeploy` });
  }
}
