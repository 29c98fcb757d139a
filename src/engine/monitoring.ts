import type { Context } from '../context.js';
import { deployOrder, productionEnvironments, replacedIn } from '../core/lifecycle/environments.js';
import { describeNow } from '../core/lifecycle/deployments.js';
import { forward, monitorFailedNext } from '../core/lifecycle/next.js';
import { productionWith } from '../core/lifecycle/walk.js';
import { PreconditionError, RelmgrError } from '../errors.js';
import type { GateWatch } from './gate-keeper.js';
import { runLifecyclePhase, type OpenLifecycle, type PhaseOutcome } from './lifecycle.js';
import { refuseRunning } from './liveness.js';

export const MONITOR = { phase: 'monitor', env: null } as const;

/**
 * The monitor phase watches a release in production: it runs once the production-tier environment
 * has the release. Before that, or once it passed, it is refused (exit 3) with the command that works.
 */
export async function refuseMonitor(lifecycle: OpenLifecycle): Promise<void> {
  const { release, session, input } = lifecycle;
  const config = input.config;
  refuseRunning(release, session.here);
  if (release.state === 'abandoned' || release.state === 'closed') throw new PreconditionError('E_STATE', `release ${release.version} is ${release.state}`, { hint: 'plan a new one: relmgr plan' });
  const monitor = release.phases.monitor;
  if (monitor.state === 'interrupted' || (monitor.state === 'failed' && release.state === 'failed')) {
    throw new PreconditionError('E_STATE', `the monitor phase of ${release.version} ${monitor.state === 'failed' ? 'failed' : 'was interrupted'}`, { hint: monitorFailedNext(release, config) });
  }
  if (monitor.state === 'succeeded') throw new PreconditionError('E_STATE', `${release.version} was already monitored`, { hint: `next: ${forward(release, config)}` });
  const production = productionEnvironments(config);
  // Production runs something else now (a hotfix went there since): nothing of this release to watch.
  const gone = replacedIn(release, config, await session.deployments());
  const replaced = gone[0];
  if (replaced && gone.length === productionWith(release, config).length) {
    throw new PreconditionError('E_STATE', `${replaced.env} ${describeNow(replaced.now)} now, not ${release.version}: there is nothing of ${release.version} to monitor`, {
      hint: `record how it ended: relmgr close --release ${release.version} --note "…"`,
    });
  }
  if (productionWith(release, config).length === 0) {
    const hint = deployOrder(config).length === 0 ? 'monitor watches a release in production; define environments (phases.deploy.order), or close it: relmgr close --note "…"' : `next: ${forward(release, config)}`;
    const names = production.join(', ');
    const where = production.length === 0 ? 'production (no environment is configured)' : names === 'production' ? names : `${names} (production)`;
    throw new PreconditionError('E_STATE', `${release.version} is not deployed to ${where}${release.state === 'rolled_back' ? ': it was rolled back' : ''}; monitor runs after that`, { hint });
  }
}

/** Runs the monitor phase (refused first when it may not run); a failing step or check says the release failed in production. */
export async function runMonitor(ctx: Context, lifecycle: OpenLifecycle, watch: GateWatch, starting: () => void = () => undefined): Promise<PhaseOutcome> {
  await refuseMonitor(lifecycle);
  starting();
  return monitorRun(lifecycle, () => runLifecyclePhase(ctx, lifecycle, MONITOR, null, watch));
}

/** A failed step or check of the monitor phase (exit 20): the release is failed in production, and the hint offers the rollback. */
export async function monitorRun(lifecycle: OpenLifecycle, run: () => Promise<PhaseOutcome>): Promise<PhaseOutcome> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof RelmgrError) || error.code !== 'E_STEP_FAILED') throw error;
    const { release, input } = lifecycle;
    throw new RelmgrError('E_STEP_FAILED', `${error.message}: ${release.version} is failed in production`, { details: error.details, hint: monitorFailedNext(release, input.config), data: error.data });
  }
}
