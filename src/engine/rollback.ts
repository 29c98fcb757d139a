import type { Context } from '../context.js';
import { environmentNow, mayRollBack, previousIn, succeededIn, type Deployment, type EnvironmentNow } from '../core/lifecycle/deployments.js';
import { deployOrder } from '../core/lifecycle/environments.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { isRelmgrError, PreconditionError, RelmgrError, UsageError } from '../errors.js';
import type { GateWatch } from './gate-keeper.js';
import type { PhaseRef } from '../core/lifecycle/phases.js';
import { runLifecyclePhase, type OpenLifecycle, type PhaseOutcome } from './lifecycle.js';

/** Where a rollback of `release` in `env` goes: from that release, to the version the environment ran before. */
export interface RollbackTarget {
  env: string;
  from: string;
  to: string;
}

/** The release as the session holds it now (after a phase it ran, or what another machine recorded). */
export function current(lifecycle: OpenLifecycle): ReleaseView {
  const { release, session } = lifecycle;
  const now = session.state.releases.find((r) => r.version === release.version && r.plannedAt === release.plannedAt) ?? release;
  lifecycle.release = now;
  lifecycle.input.release = now;
  return now;
}

/** Whether the config gives `env` rollback steps (a rollback with none would restore nothing). */
export function hasRollbackSteps(lifecycle: OpenLifecycle, env: string): boolean {
  return (lifecycle.input.config?.environments[env]?.rollback?.length ?? 0) > 0;
}

/**
 * The version `relmgr rollback <env> [--to V]` goes back to: `--to` must have succeeded there
 * before; without it, what the environment ran before this release. Errors say what there is.
 */
export async function rollbackTarget(lifecycle: OpenLifecycle, env: string, to: string | undefined): Promise<RollbackTarget> {
  const { release, session, input } = lifecycle;
  const known = deployOrder(input.config);
  if (!known.includes(env)) {
    throw new UsageError('E_UNKNOWN_ENV', `no environment "${env}" in the release config`, {
      hint: known.length > 0 ? `roll back one of: ${known.join(', ')}` : 'define one under environments: in the release config (relmgr validate checks it)',
    });
  }
  if (!hasRollbackSteps(lifecycle, env)) {
    throw new PreconditionError('E_NO_ROLLBACK', `${env} has no rollback steps (environments.${env}.rollback): a rollback would restore nothing (nothing was recorded)`, {
      hint: `add rollback steps for ${env} to the release config, commit them, then run the rollback again`,
    });
  }
  const history = await session.deployments();
  refuseNotRunning(release, env, environmentNow(history, env), history);
  const earlier = succeededIn(history, env).filter((v) => v !== release.version);
  if (to !== undefined) {
    if (!earlier.includes(to)) {
      throw new PreconditionError('E_NO_ROLLBACK', `${to} never succeeded in ${env}: a rollback goes back to a version that ran there (nothing was recorded)`, {
        details: earlier.length > 0 ? [`versions that succeeded in ${env}: ${earlier.join(', ')}`] : [`no release other than ${release.version} ever succeeded in ${env}`],
        hint: earlier.length > 0 ? `relmgr rollback ${env} --to ${earlier.at(-1) ?? ''} --reason "…"` : 'nothing to roll back to: fix forward with a new release (relmgr plan)',
      });
    }
    return { env, from: release.version, to };
  }
  const previous = previousIn(history, env, release.version);
  if (previous === null) {
    throw new PreconditionError('E_NO_ROLLBACK', `${env} ran no release before ${release.version}: there is nothing to roll back to (nothing was recorded)`, {
      hint: 'fix forward with a new release: commit the fix, then relmgr plan',
    });
  }
  return { env, from: release.version, to: previous };
}

const when = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * An on-demand rollback undoes this release where it runs: the environment runs it now, or is in
 * doubt because its deploy (or rollback) there failed or was interrupted. Otherwise it would re-run
 * the rollback steps over another release and mark this one rolled back: E_NO_ROLLBACK (exit 3).
 */
export function refuseNotRunning(release: ReleaseView, env: string, now: EnvironmentNow, history: readonly Deployment[]): void {
  if (mayRollBack(now, release.version)) return;
  const newest = release.environments[env]?.deploy?.attempts.at(-1);
  const rolledBack = release.environments[env]?.rollback?.attempts.at(-1);
  // Its deploy there failed or was interrupted, and nothing succeeded there since: the environment is in doubt.
  if (newest !== undefined && (newest.state === 'failed' || newest.state === 'interrupted')) {
    const deployLater = rolledBack === undefined || newest.startedAt > rolledBack.startedAt;
    const settledSince = !now.inDoubt && now.since !== null && now.since > newest.startedAt;
    if (deployLater && !settledSince) return;
  }
  const runs = now.inDoubt ? `it may run ${now.candidates.join(' or ')}` : now.version === null ? 'nothing was deployed there' : `it runs ${now.version}${now.since ? ` since ${when(now.since)}` : ''}`;
  // What runs there may be rolled back in its own name, when something ran there before it.
  const other = now.inDoubt ? (now.failed?.release ?? null) : now.version;
  const back = other !== null ? previousIn(history, env, other) : null;
  throw new PreconditionError('E_NO_ROLLBACK', `${release.version} does not run in ${env} (${runs}): there is nothing of it to roll back (nothing was recorded)`, {
    hint: other !== null && back !== null ? `to put back ${back}, roll back what runs there: relmgr rollback ${env} --release ${other} --reason "…"` : 'see what runs where with: relmgr status',
  });
}

/** Runs the environment's rollback phase through the one runner, with RELMGR_PREVIOUS_VERSION the version it goes back to. */
export async function runRollback(ctx: Context, lifecycle: OpenLifecycle, target: RollbackTarget, watch: GateWatch, startedWith: Record<string, unknown>): Promise<PhaseOutcome> {
  current(lifecycle);
  return runLifecyclePhase(ctx, lifecycle, { phase: 'rollback', env: target.env }, null, watch, { from: target.from, to: target.to }, startedWith);
}

/**
 * A deploy step (or exit check) failed and the environment says `on_failure: rollback`: roll it back
 * to what it ran before, and say how that went — E_ROLLED_BACK (exit 21) or E_ROLLBACK_FAILED (22).
 * With nothing to go back to (the first deploy there), or no rollback steps, nothing runs: the
 * deploy's own failure (exit 20, relmgr resume continues) says so.
 */
export async function rollBackFailedDeploy(ctx: Context, lifecycle: OpenLifecycle, env: string, failed: RelmgrError, watch: GateWatch): Promise<RelmgrError> {
  const release = current(lifecycle);
  const previous = previousIn(await lifecycle.session.deployments(), env, release.version);
  const why = previous === null ? `${env} ran no release before ${release.version}` : !hasRollbackSteps(lifecycle, env) ? `${env} has no rollback steps` : null;
  if (previous === null || why !== null) {
    ctx.stderr.write(`not rolling back (on_failure: rollback): ${why ?? ''}, so there is nothing to go back to\n`);
    return new RelmgrError('E_STEP_FAILED', `${failed.message}; not rolled back: ${why ?? ''}`, { details: failed.details, hint: failed.hint });
  }
  ctx.stderr.write(`rolling ${env} back to ${previous} (on_failure: rollback)\n`);
  const target: RollbackTarget = { env, from: release.version, to: previous };
  try {
    await runRollback(ctx, lifecycle, target, watch, { reason: failed.message, automatic: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return new RelmgrError('E_ROLLBACK_FAILED', `${failed.message}; and the rollback of ${env} to ${previous} failed too: ${detail}`, {
      details: [...failed.details, ...(error instanceof RelmgrError ? error.details : [])],
      hint: `see what ${env} runs now and fix it by hand, then retry the rollback with: relmgr resume (or deploy a fixed release)`,
      cause: error,
    });
  }
  return new RelmgrError('E_ROLLED_BACK', `${failed.message}; ${env} was rolled back to ${previous}`, {
    details: failed.details,
    hint: `fix the cause, commit it, then plan a new release: relmgr plan`,
  });
}

/**
 * Runs a phase — fresh, resumed, or on the walk of `relmgr release` — and when it is a deploy whose
 * step or exit check failed in an environment with `on_failure: rollback`, rolls that environment
 * back (exit 21, or 22 when the rollback fails too). A gate that holds is never a failure.
 */
export async function withRollback(ctx: Context, lifecycle: OpenLifecycle, ref: PhaseRef, watch: GateWatch, run: () => Promise<PhaseOutcome>): Promise<PhaseOutcome> {
  try {
    return await run();
  } catch (error) {
    const env = ref.phase === 'deploy' ? ref.env : null;
    if (env !== null && isRelmgrError(error) && error.code === 'E_STEP_FAILED' && !lifecycle.recording && lifecycle.input.config?.environments[env]?.on_failure === 'rollback') {
      throw await rollBackFailedDeploy(ctx, lifecycle, env, error, watch);
    }
    throw error;
  }
}
