import type { Context } from '../context.js';
import type { ReleaseView, ReleaseStateName } from '../core/lifecycle/fold.js';
import { nextCommand, when } from '../core/lifecycle/next.js';
import { resumeCommand } from '../core/lifecycle/resume.js';
import { closable, outcomeOf } from '../core/lifecycle/walk.js';
import { PreconditionError } from '../errors.js';
import type { GateWatch } from './gate-keeper.js';
import { runLifecyclePhase, type OpenLifecycle } from './lifecycle.js';
import { refuseRunning } from './liveness.js';

export const FEEDBACK = { phase: 'feedback', env: null } as const;

/** A second close changes nothing: who closed it, when, and how it ended. */
export function alreadyClosed(release: ReleaseView): PreconditionError {
  const closed = release.closed;
  const by = closed ? ` by ${closed.actor.name} <${closed.actor.email}> at ${when(closed.at)} (outcome: ${closed.outcome})` : '';
  return new PreconditionError('E_STATE', `${release.version} is already closed${by}; nothing was recorded`, { hint: 'plan the next release: relmgr plan' });
}

/**
 * Whether the release may be closed, and the outcome it is closed with. The rule: once it reached
 * production (deployed, monitoring, monitored) or was rolled back; when no environment is configured,
 * once tested. A closed or abandoned release is refused, and so is a feedback phase that failed or
 * was interrupted (relmgr resume continues it; close then records the close).
 */
export function refuseClose({ release, session, input }: OpenLifecycle): ReleaseStateName {
  refuseRunning(release, session.here);
  if (release.closed) throw alreadyClosed(release);
  if (release.state === 'abandoned') throw new PreconditionError('E_STATE', `release ${release.version} was abandoned: there is nothing to close`, { hint: 'plan a new one: relmgr plan' });
  const feedback = release.phases.feedback;
  if (release.interrupted?.phase === 'feedback' || (feedback.state === 'failed' && release.state === 'failed')) {
    throw new PreconditionError('E_STATE', `the feedback phase of ${release.version} ${feedback.state === 'failed' ? 'failed' : 'was interrupted'}`, { hint: `continue it with: ${resumeCommand(release)}, then relmgr close` });
  }
  const outcome = outcomeOf(release);
  if (!closable(outcome, input.config)) {
    throw new PreconditionError('E_STATE', `${release.version} cannot be closed yet (${outcome}): a release is closed once it reached production or was rolled back`, {
      hint: `next: ${nextCommand(release, { remote: session.releaseRemote, config: input.config })}`,
    });
  }
  return outcome;
}

/**
 * Runs the feedback phase (its steps and gates; skipped when it already succeeded — a close that
 * stopped before recording, or a feedback phase finished by resume), then records `release.closed`
 * as a decision every machine sees: of two clones closing at once, exactly one close is recorded.
 */
export async function closeRelease(ctx: Context, lifecycle: OpenLifecycle, watch: GateWatch, note: string | null, outcome: ReleaseStateName): Promise<{ release: ReleaseView; steps: number }> {
  const { session } = lifecycle;
  const release = lifecycle.release;
  let steps = 0;
  if (release.phases.feedback.state !== 'succeeded') {
    const ran = await runLifecyclePhase(ctx, lifecycle, FEEDBACK, null, watch);
    steps = typeof ran.result.steps === 'number' ? ran.result.steps : 0;
  }
  const same = (r: ReleaseView): boolean => r.version === release.version && r.plannedAt === release.plannedAt;
  await session.decide(`the close of ${release.version}`, (state) => {
    const now = state.releases.find(same);
    if (now?.closed) throw alreadyClosed(now);
    if (now?.abandoned) throw new PreconditionError('E_STATE', `release ${release.version} was abandoned meanwhile, on another machine`, { hint: 'plan a new one: relmgr plan' });
    return [session.event('release.closed', release.version, { note, outcome })];
  });
  return { release: session.state.releases.find(same) ?? release, steps };
}
