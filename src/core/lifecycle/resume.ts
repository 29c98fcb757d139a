import type { ReleaseView } from './fold.js';

/**
 * The resume command that works for an interrupted phase: a step that was stopped mid-run and is not
 * idempotent needs a decision (`--rerun`, or `--assume-done` when it did its work), so plain
 * `relmgr resume` would only ask for it. Whether a step is idempotent is what its step.started recorded.
 */
export function resumeCommand(release: ReleaseView): string {
  const phase = release.interrupted;
  if (phase === null) return 'relmgr resume';
  const stopped = release.phases[phase].attempts.at(-1)?.steps.find((s) => s.state === 'running');
  return stopped && stopped.idempotent !== true ? stoppedStepCommand(stopped.name) : 'relmgr resume';
}

/** For a stopped step that is not idempotent: run it again, unless it did its work. */
export function stoppedStepCommand(name: string): string {
  return `relmgr resume --rerun (or, if step "${name}" did its work: relmgr resume --assume-done)`;
}
