import type { Context } from '../context.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { applyCut, describeCutPlan, planCut, preconditions } from '../engine/cut.js';
import { refuseRunning } from '../engine/liveness.js';
import { nextHere } from '../engine/published.js';
import { PreconditionError } from '../errors.js';
import { writeCiOutputs } from '../ui/ci-outputs.js';
import { printJson } from '../ui/output.js';
import { releaseContext, type ReleaseContext, type ReleaseOptions } from './release-context.js';

/** What `cut` and `resume` print once a release is cut: where it went, and what comes next. */
export function cutDone(release: ReleaseView, commit: string, pushedTo: string | null, remote: string | null): string {
  const next = pushedTo === null && remote !== null ? `relmgr test, and relmgr push to publish it (not pushed to ${remote})` : 'relmgr test';
  return `Cut ${release.version}: commit ${commit.slice(0, 7)}, tag ${release.tag}${pushedTo !== null ? `, pushed to ${pushedTo}` : ' (not pushed)'}\nNext: ${next}\n`;
}

/** `relmgr cut`: the build phase — steps, version files, changelog, notes, commit, tag, push. */
export async function run(ctx: Context, options: ReleaseOptions & { dotenv?: string }): Promise<number> {
  const context = await releaseContext(ctx, options, 'build', 'cut');
  try {
    return await cut(ctx, options, context);
  } finally {
    await context.session.close();
  }
}

async function cut(ctx: Context, options: ReleaseOptions & { dotenv?: string }, { release, input, session }: ReleaseContext): Promise<number> {
  refuseRunning(release, session.here);
  if (release.state !== 'planned' || release.interrupted) {
    const why =
      release.interrupted === 'build' || (release.state === 'failed' && release.phases.build.state === 'failed')
        ? { message: `the cut of ${release.version} ${release.interrupted ? 'was interrupted' : 'failed'}`, hint: 'continue it with: relmgr resume (or start over: relmgr abort, then relmgr plan)' }
        : release.state === 'abandoned'
          ? { message: `release ${release.version} was abandoned`, hint: 'plan a new one: relmgr plan' }
          : { message: `release ${release.version} is already cut (${release.state})`, hint: `next: ${await nextHere(input.releaseGit, session.releaseRemote, release)}` };
    throw new PreconditionError('E_STATE', why.message, { hint: why.hint });
  }
  const plan = await planCut(input);
  if (options.dryRun) {
    // The same checks as the real cut: a dry run that passes where the cut would not is no preview.
    await preconditions(input, null, plan);
    const redact = ctx.secrets.redact;
    if (options.json) printJson(ctx.stdout, { ...plan, steps: plan.steps.map((s) => ({ ...s.spec, run: redact(s.spec.run) })) });
    else ctx.stdout.write(describeCutPlan(plan, redact));
    return 0;
  }
  const { commit, pushed } = await applyCut(input, plan, null);
  if (options.json) printJson(ctx.stdout, { version: release.version, tag: release.tag, commit, pushed, state: 'cut' });
  else ctx.stdout.write(cutDone(release, commit, pushed ? (plan.push?.remote ?? null) : null, session.releaseRemote));
  await writeCiOutputs(ctx, { version: release.version, tag: release.tag, released: 'true', state: 'cut' }, { dotenv: options.dotenv });
  return 0;
}
