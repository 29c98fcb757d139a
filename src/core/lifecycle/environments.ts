import type { Config } from '../config/schema.js';
import { environmentNow, mayRollBack, type Deployment, type EnvironmentNow } from './deployments.js';
import type { ReleaseView } from './fold.js';

/** The environments in promotion order: `phases.deploy.order`, then the others as the config lists them. */
export function deployOrder(config: Config | null): string[] {
  if (!config) return [];
  const order = (config.phases.deploy?.order ?? []).filter((env) => config.environments[env]);
  return [...order, ...Object.keys(config.environments).filter((env) => !order.includes(env))];
}

/**
 * Whether an environment is production-tier: `tier: production`; when no environment says so, the
 * last of the promotion order (a release has reached production when it reached the end of the line).
 */
export function isProduction(config: Config | null, env: string): boolean {
  if (!config) return false;
  const tiered = Object.entries(config.environments).filter(([, spec]) => spec.tier === 'production');
  if (tiered.length > 0) return tiered.some(([name]) => name === env);
  return deployOrder(config).at(-1) === env;
}

/** The production-tier environments, in promotion order. */
export function productionEnvironments(config: Config | null): string[] {
  return deployOrder(config).filter((env) => isProduction(config, env));
}

/** The environments `deploy.order` puts before `env` (none for one not in the order). */
export function environmentsBefore(config: Config | null, env: string): string[] {
  const order = config?.phases.deploy?.order ?? [];
  const at = order.indexOf(env);
  return at <= 0 ? [] : order.slice(0, at);
}

/** Whether the deploy phase succeeded for this release in `env` (its newest attempt: a rollback since undoes it). */
export function deployedTo(release: ReleaseView, env: string): boolean {
  const envs = release.environments[env];
  if (envs?.deploy?.state !== 'succeeded') return false;
  const deployed = envs.deploy.attempts.findLast((a) => a.state === 'succeeded');
  const rolledBack = envs.rollback?.attempts.findLast((a) => a.state === 'succeeded');
  return deployed !== undefined && (rolledBack === undefined || rolledBack.startedAt < deployed.startedAt);
}

/**
 * The environments before `env` in `deploy.order` that do not run `release` now (never deployed,
 * rolled back, in doubt, or another release — a hotfix — went there since): a deploy to `env` is
 * promoted from environments that run this very release.
 */
export function notRunningBefore(config: Config | null, env: string, release: ReleaseView, history: readonly Deployment[]): { env: string; now: EnvironmentNow }[] {
  return environmentsBefore(config, env)
    .map((before) => ({ env: before, now: environmentNow(history, before) }))
    .filter(({ now }) => now.version !== release.version);
}

/**
 * The environments a release's promotion still goes to, in order: those it was not deployed to (or
 * was rolled back from), and — given the history — those before the last of them in `deploy.order`
 * that do not run it now (a hotfix went there since): the promotion goes through them again.
 */
export function deploysAhead(release: ReleaseView, config: Config | null, history?: readonly Deployment[]): string[] {
  const order = deployOrder(config);
  const missing = order.filter((env) => !deployedTo(release, env));
  const last = missing.at(-1);
  if (history === undefined || last === undefined) return missing;
  const again = new Set(notRunningBefore(config, last, release, history).map((n) => n.env));
  return order.filter((env) => missing.includes(env) || again.has(env));
}

/**
 * Whether a release went as far as the lifecycle takes it before a new one may be planned: closed or
 * abandoned; tested when the config has no environment; or out in production (deployed, monitored,
 * rolled back). A release still on its way — cut, tested with environments ahead, deploying — blocks
 * a new plan (`plan --replace` abandons it).
 */
export function settled(release: ReleaseView, config: Config | null): boolean {
  switch (release.state) {
    case 'closed':
    case 'abandoned':
    case 'deployed':
    case 'monitoring':
    case 'monitored':
    case 'rolled_back':
      return true;
    case 'tested':
      return deployOrder(config).length === 0;
    default:
      return false;
  }
}

/**
 * The production-tier environments this release reached that run something else now — a hotfix, or
 * the next release, went there since: the release is out of production, to be closed, not monitored.
 */
export function replacedIn(release: ReleaseView, config: Config | null, history: readonly Deployment[]): { env: string; now: EnvironmentNow }[] {
  return productionEnvironments(config).flatMap((env) => {
    if (!deployedTo(release, env)) return [];
    const now = environmentNow(history, env);
    return mayRollBack(now, release.version) ? [] : [{ env, now }];
  });
}
