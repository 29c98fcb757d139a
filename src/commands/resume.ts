import type { Context } from '../context.js';
import type { PhaseName } from '../core/lifecycle/events.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { applyCut, planCut } from '../engine/cut.js';
import type { ResumeDecision } from '../engine/phase.js';
import { refuseRunning } from '../engine/liveness.js';
import { nextHere, releaseCommit } from '../engine/published.js';
import { targetRelease } from '../engine/session.js';
import { runTestPhase } from '../engine/test-phase.js';
import { PreconditionError, UsageError } from '../errors.js';
import { writeCiOutputs } from '../ui/ci-outputs.js';
import { printJson } from '../ui/output.js';
import { cutDone } from './cut.js';
import { releaseContext, type ReleaseContext, type ReleaseOptions } from './release-context.js';

export interface ResumeOptions extends ReleaseOptions {
  dotenv?: string;
  rerun?: boolean;
  assumeDone?: boolean;
  takeover?: boolean;
}

/** The phase to continue: the interrupted one, else the one whose last attempt failed. */
function phaseToResume(release: ReleaseView): PhaseName | null {
  if (release.interrupted) return release.interrupted;
  if (release.state !== 'failed') return null;
  const failed = Object.values(release.phases).filter((p) => p.state === 'failed');
  return failed.sort((a, b) => ((a.attempts.at(-1)?.startedAt ?? '') < (b.attempts.at(-1)?.startedAt ?? '') ? 1 : -1))[0]?.name ?? null;
}

/** `relmgr resume`: continues a failed or interrupted phase from the step that did not finish. */
export async function run(ctx: Context, options: ResumeOptions): Promise<number> {
  if (options.rerun && options.assumeDone) throw new UsageError('E_USAGE', '--rerun and --assume-done exclude each other', { hint: 'choose one' });
  const decision: ResumeDecision | undefined = options.rerun ? 'rerun' : options.assumeDone ? 'assume-done' : undefined;
  const context = await releaseContext(ctx, options, 'resume');
  try {
    await takeOver(context, options);
  } catch (error) {
    await context.session.close();
    throw error;
  }
  // A cut started with --no-push resumes without pushing, unless --push says otherwise.
  const started = phaseToResume(context.release);
  const previousPush = started ? context.release.phases[started].attempts.at(-1)?.options.push : undefined;
  if (options.push === undefined && previousPush === false) context.input.remote = null;
  try {
    return await resume(ctx, options, decision, context);
  } finally {
    await context.session.close();
  }
}

/**
 * A phase that still runs is not resumed: here, never; on another host, only with --takeover, which
 * the ledger records (as an interruption of that run) before anything else happens.
 */
async function takeOver(context: ReleaseContext, options: ResumeOptions): Promise<void> {
  const { session } = context;
  const running = refuseRunning(context.release, session.here, { takeover: options.takeover === true });
  if (running === null) return;
  const { attempt, phase } = running;
  await session.record(session.event('phase.interrupted', context.release.version, { takeover: true, host: attempt.host, pid: attempt.pid, by: session.here.host }, { phase }));
  context.release = targetRelease(session.state, options.release);
  context.input.release = context.release;
}

async function resume(ctx: Context, options: ResumeOptions, decision: ResumeDecision | undefined, { release, input, session }: ReleaseContext): Promise<number> {
  const phase = phaseToResume(release);
  if (phase === null) {
    throw new PreconditionError('E_NOTHING_TO_RESUME', `release ${release.version} has nothing to resume (${release.state})`, { hint: `next: ${await nextHere(input.releaseGit, session.releaseRemote, release)}` });
  }
  const previous = release.phases[phase].attempts.at(-1);
  if (!previous) throw new PreconditionError('E_NOTHING_TO_RESUME', `the ${phase} phase of ${release.version} never started`, { hint: `next: ${await nextHere(input.releaseGit, session.releaseRemote, release)}` });
  ctx.stderr.write(`resuming the ${phase} phase of ${release.version} (${release.interrupted ? 'interrupted' : 'failed'} at ${previous.startedAt})\n`);
  if (phase === 'build') {
    input.stepContext.release.phase = 'build';
    const { commit, pushed } = await applyCut(input, await planCut(input), { previous, decision });
    if (options.json) printJson(ctx.stdout, { version: release.version, phase, state: 'cut', commit, pushed });
    else ctx.stdout.write(cutDone(release, commit, pushed ? input.remote : null, session.releaseRemote));
    await writeCiOutputs(ctx, { version: release.version, tag: release.tag, released: 'true', state: 'cut' }, { dotenv: options.dotenv });
    return 0;
  }
  if (phase === 'test') {
    // The test phase tests the release commit, whatever commit a rerun checked out.
    const commit = releaseCommit(release);
    const head = (await input.releaseGit.head()).hash;
    if (commit !== null && head !== commit) {
      throw new PreconditionError('E_WRONG_COMMIT', `HEAD is ${head.slice(0, 7)}, not the release commit of ${release.version} (${commit.slice(0, 7)})`, {
        hint: `test what was released: git checkout ${release.tag}, then relmgr resume`,
      });
    }
    input.stepContext.release.phase = 'test';
    const { steps } = await runTestPhase(input, { previous, decision });
    if (options.json) printJson(ctx.stdout, { version: release.version, phase, state: 'tested', steps });
    else ctx.stdout.write(`Tested ${release.version}: ${steps} step${steps === 1 ? '' : 's'} passed\n`);
    await writeCiOutputs(ctx, { version: release.version, tag: release.tag, state: 'tested' }, { dotenv: options.dotenv });
    return 0;
  }
  throw new PreconditionError('E_NOTHING_TO_RESUME', `resuming the ${phase} phase is not supported yet`, { hint: 'see relmgr status' });
}
