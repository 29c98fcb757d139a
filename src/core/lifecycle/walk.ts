import type { Config } from '../config/schema.js';
import type { Deployment } from './deployments.js';
import { deployedTo, deployOrder, deploysAhead, productionEnvironments } from './environments.js';
import { deriveState, type ReleaseView } from './fold.js';
import type { PhaseRef, ReleaseStateName } from './phases.js';

/** Whether the release config gives the monitor phase anything to do: steps, or gates. */
export function monitorConfigured(config: Config | null): boolean {
  const monitor = config?.phases.monitor;
  return (monitor?.steps?.length ?? 0) + (monitor?.entry?.length ?? 0) + (monitor?.exit?.length ?? 0) > 0;
}

/** The production-tier environments that have the release now (a rollback since takes it away). */
export function productionWith(release: ReleaseView, config: Config | null): string[] {
  return productionEnvironments(config).filter((env) => deployedTo(release, env));
}

/**
 * How far a release went, not counting its close (the feedback phase): what `release.closed`
 * records as its outcome — deployed, monitored, rolled_back, tested…
 */
export function outcomeOf(release: ReleaseView): ReleaseStateName {
  const feedback = { phase: 'feedback' as const, env: null, state: 'pending' as const, attempts: [] };
  return deriveState({ ...release, closed: null, phases: { ...release.phases, feedback } });
}

/** The outcomes a release may be closed with: it went out to production (and maybe came back), or, with no environment configured, it was tested. */
export function closable(outcome: ReleaseStateName, config: Config | null): boolean {
  if (outcome === 'deployed' || outcome === 'monitoring' || outcome === 'monitored' || outcome === 'rolled_back') return true;
  return outcome === 'tested' && deployOrder(config).length === 0;
}

/**
 * The phases `relmgr release` still runs, in order, from where the release stands: the cut, the
 * tests, each environment not deployed yet (promotion order), the monitor phase when configured,
 * and the close (`feedback`) last. A rolled-back release has only its close ahead; a closed or
 * abandoned one nothing. Given the history of environments, an environment before one still ahead
 * that no longer runs the release (a hotfix went there since) is deployed again first.
 */
export function phasesAhead(release: ReleaseView, config: Config | null, history?: readonly Deployment[]): PhaseRef[] {
  if (release.state === 'closed' || release.state === 'abandoned') return [];
  const close: PhaseRef = { phase: 'feedback', env: null };
  if (outcomeOf(release) === 'rolled_back') return [close];
  const ahead: PhaseRef[] = [];
  if (release.phases.build.state !== 'succeeded') ahead.push({ phase: 'build', env: null });
  if (release.phases.test.state !== 'succeeded') ahead.push({ phase: 'test', env: null });
  for (const env of deploysAhead(release, config, history)) ahead.push({ phase: 'deploy', env });
  // Monitoring watches production: with no environment configured there is none to watch.
  if (monitorConfigured(config) && deployOrder(config).length > 0 && release.phases.monitor.state !== 'succeeded') ahead.push({ phase: 'monitor', env: null });
  ahead.push(close);
  return ahead;
}
