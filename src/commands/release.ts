import type { Context } from '../context.js';
import { deployedTo, deployOrder } from '../core/lifecycle/environments.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { phaseCommand, phaseLabel, type PhaseRef } from '../core/lifecycle/phases.js';
import { phasesAhead } from '../core/lifecycle/walk.js';
import { openLifecycle, type LifecycleOptions, type OpenLifecycle } from '../engine/lifecycle.js';
import { afterWalk, nextPhase, walk, type Walked } from '../engine/walk.js';
import { RelmgrError } from '../errors.js';
import { releaseOutputs, writeCiOutputs } from '../ui/ci-outputs.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { printJson } from '../ui/output.js';
import { phaseHeading } from '../ui/phase-heading.js';
import { progressReporter } from '../ui/progress.js';

export interface ReleaseOptions extends LifecycleOptions, WaitOptions {
  note?: string;
  dotenv?: string;
}

/**
 * `relmgr release`: walks the open release as far as it goes in one process — cut, test, each
 * environment in order, monitor, and the close when --note is given — stopping at the first gate
 * that is not satisfied or the first failure.
 */
export async function run(ctx: Context, options: ReleaseOptions): Promise<number> {
  // Every hint on the walk names the walk: running it again goes on from where it stopped.
  const watch = { ...gateWatch(ctx, options, 'relmgr release'), again: 'relmgr release' };
  const lifecycle = await openLifecycle(ctx, options, 'release', progressReporter(ctx, options));
  try {
    if (lifecycle.recording) return await dryRun(ctx, options, lifecycle);
    const starting = (ref: PhaseRef, release: ReleaseView, resumed: boolean): void => phaseHeading(ctx, ref, release.version, resumed);
    let result;
    try {
      result = await walk(ctx, lifecycle, watch, { note: options.note, starting });
    } catch (error) {
      if (error instanceof RelmgrError) {
        const ran = (error.data.phases ?? []) as Walked[];
        if (!options.json) ctx.stderr.write(`${ran.length > 0 ? `ran ${ran.map(label).join(', ')}; ` : ''}stopped at ${String(error.data.stoppedAt ?? 'the start')} of ${lifecycle.release.version}\n`);
        // Where the release stands now, as recorded (a failed phase made it failed).
        const now = lifecycle.session.state.releases.find((r) => r.version === lifecycle.release.version && r.plannedAt === lifecycle.release.plannedAt) ?? lifecycle.release;
        await stoppedOutputs(ctx, options, lifecycle, now, error);
      }
      throw error;
    }
    const { release, phases, stopped } = result;
    const next = afterWalk(result, lifecycle.input.config);
    await outputs(ctx, options, lifecycle, release, { released: phases.length > 0, next });
    if (options.json) {
      printJson(ctx.stdout, { version: release.version, tag: release.tag, state: release.state, phases, stoppedAt: stopped === 'close' ? 'close' : null, next });
      return 0;
    }
    const ran = phases.length > 0 ? `ran ${phases.map(label).join(', ')}` : 'nothing to run';
    const why = stopped === 'close' ? '; stopped before the close (it records a review note: give --note, or run it yourself)' : '';
    ctx.stdout.write(`Release ${release.version} is ${release.state.replace('_', ' ')}: ${ran}${why}\nNext: ${next}\n`);
    return 0;
  } finally {
    await lifecycle.session.close();
  }
}

/** `deploy staging`, `test (resumed)`. */
const label = (walked: Walked): string => `${phaseLabel({ phase: walked.phase as PhaseRef['phase'], env: walked.env })}${walked.resumed ? ' (resumed)' : ''}`;

/** The furthest environment, in promotion order, that has the release. */
function furthest(lifecycle: OpenLifecycle, release: ReleaseView): string | null {
  return deployOrder(lifecycle.input.config).filter((name) => deployedTo(release, name)).at(-1) ?? null;
}

/**
 * The CI job's outputs after a walk that ended without an error: where the release stands, the
 * furthest environment that has it, and `released=true` when the walk moved it on (ran a phase).
 */
async function outputs(ctx: Context, options: ReleaseOptions, lifecycle: OpenLifecycle, release: ReleaseView, how: { released: boolean; next: string }): Promise<void> {
  const values = releaseOutputs({ version: release.version, tag: release.tag, state: release.state, environment: furthest(lifecycle, release), released: how.released });
  await writeCiOutputs(ctx, values, { dotenv: options.dotenv, command: `relmgr release: ${release.version}`, next: how.next });
}

/**
 * The outputs of a walk that stopped with an error, as `deploy` writes them: held at a gate, `state`
 * pending, rejected or timed_out; after a failure (or anything else), the state as recorded — and
 * always `released=false`, the exit code and the hint as what comes next. `environment` is the one
 * it stopped in (deploy production held at its approval: production), else the furthest that has it.
 */
async function stoppedOutputs(ctx: Context, options: ReleaseOptions, lifecycle: OpenLifecycle, release: ReleaseView, error: RelmgrError): Promise<void> {
  const held = HELD[error.code];
  const state = held ?? release.state;
  // The environment it stopped in (as deploy <env> writes it), else the furthest that has it.
  const stoppedIn = typeof error.data.stoppedEnv === 'string' ? error.data.stoppedEnv : null;
  const values = releaseOutputs({ version: release.version, tag: release.tag, state, environment: stoppedIn ?? furthest(lifecycle, release), released: false }, { exit: String(error.exitCode) });
  const why = held !== undefined ? 'held at a gate' : error.exitCode === 21 ? 'rolled back' : error.exitCode === 20 || error.exitCode === 22 ? 'failed' : 'stopped';
  await writeCiOutputs(ctx, values, { dotenv: options.dotenv, command: `relmgr release: ${release.version} ${why}`, next: error.hint ?? undefined });
}

/** The state a gate that held the walk publishes (GatesHeld's outcome: the walk re-throws it as a RelmgrError). */
const HELD: Partial<Record<string, string>> = { E_GATE_PENDING: 'pending', E_GATE_REJECTED: 'rejected', E_GATE_TIMED_OUT: 'timed_out' };

/** A dry run lists the phases the walk would run, in order, and runs nothing: its CI outputs say so (state none, released=false). */
async function dryRun(ctx: Context, options: ReleaseOptions, lifecycle: OpenLifecycle): Promise<number> {
  const { release, input } = lifecycle;
  await writeCiOutputs(ctx, releaseOutputs({ version: release.version, tag: release.tag, state: 'none', released: false }), { dotenv: options.dotenv, command: 'relmgr release --dry-run' });
  const first = nextPhase(release, input.config);
  const ahead = phasesAhead(release, input.config);
  const refs = first?.resumed ? [first.ref, ...ahead.filter((r) => r.phase !== first.ref.phase || r.env !== first.ref.env)] : ahead;
  const closing = options.note !== undefined;
  const runs = refs.filter((r) => r.phase !== 'feedback' || closing);
  const phases = runs.map((r) => ({ phase: r.phase, env: r.env, command: phaseCommand(r), resumed: first?.resumed === true && r === first.ref }));
  if (options.json) {
    printJson(ctx.stdout, { dryRun: true, version: release.version, tag: release.tag, state: release.state, phases, stopsBeforeClose: !closing && refs.some((r) => r.phase === 'feedback') });
    return 0;
  }
  const lines = phases.map((p, i) => `  ${i + 1}. ${phaseLabel(p)}${p.resumed ? ' (continued)' : ''}  (${p.command})`);
  const tail = !closing && refs.some((r) => r.phase === 'feedback') ? '\nthen stop before the close (relmgr close --note "…", or relmgr release --note "…")' : '';
  ctx.stdout.write(`Would walk ${release.version} (${release.state}):\n${lines.length > 0 ? lines.join('\n') : '  nothing to run'}${tail}\nEach phase stops at its first gate that is not satisfied, or its first failure.\n`);
  return 0;
}
