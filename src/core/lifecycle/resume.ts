import { phaseStates, phaseState, type ReleaseView } from './fold.js';
import type { PhaseRef } from './phases.js';

/**
 * The resume command that works for an interrupted phase: a step that was stopped mid-run and is not
 * idempotent needs a decision (`--rerun`, or `--assume-done` when it did its work), so plain
 * `relmgr resume` would only ask for it. Whether a step is idempotent is what its step.started recorded.
 */
export function resumeCommand(release: ReleaseView): string {
  const ref = release.interrupted;
  if (ref === null) return 'relmgr resume';
  const stopped = phaseState(release, ref).attempts.at(-1)?.steps.find((s) => s.state === 'running');
  return stopped && stopped.idempotent !== true ? stoppedStepCommand(stopped.name) : 'relmgr resume';
}

/** For a stopped step that is not idempotent: run it again, unless it did its work. */
export function stoppedStepCommand(name: string): string {
  return `relmgr resume --rerun (or, if step "${name}" did its work: relmgr resume --assume-done)`;
}

/** The (phase, environment) `relmgr resume` continues: the interrupted one, else one waiting at a gate, else the one whose newest attempt failed. */
export function phaseToResume(release: ReleaseView): PhaseRef | null {
  if (release.interrupted) return release.interrupted;
  const gated = phaseStates(release).find((p) => p.state === 'gated');
  if (gated) return { phase: gated.phase, env: gated.env };
  if (release.state !== 'failed') return null;
  const failed = phaseStates(release).filter((p) => p.state === 'failed');
  const newest = failed.sort((a, b) => ((a.attempts.at(-1)?.startedAt ?? '') < (b.attempts.at(-1)?.startedAt ?? '') ? 1 : -1))[0];
  return newest ? { phase: newest.phase, env: newest.env } : null;
}
