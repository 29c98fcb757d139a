import { join } from 'node:path';
import type { Context } from '../context.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { nextCommand, pushedInLedger } from '../core/lifecycle/next.js';
import { phaseDef } from '../core/lifecycle/phases.js';
import type { Lifecycle, PhaseOutcome } from '../engine/lifecycle.js';
import { gateDocument, heldError, planStopped } from '../engine/gates-held.js';
import { writeCiOutputs } from './ci-outputs.js';
import { printJson } from './output.js';

/** What `cut` and `resume` print once a release is cut: where it went, and what comes next. */
export function cutDone(release: ReleaseView, commit: string, pushedTo: string | null, remote: string | null): string {
  const next = pushedTo === null && remote !== null ? `relmgr test, and relmgr push to publish it (not pushed to ${remote})` : 'relmgr test';
  return `Cut ${release.version}: commit ${commit.slice(0, 7)}, tag ${release.tag}${pushedTo !== null ? `, pushed to ${pushedTo}` : ' (not pushed)'}\nNext: ${next}\n`;
}

/** What comes after a tested release: publishing it, if it was cut with --no-push; else nothing relmgr runs yet. */
function afterTest(release: ReleaseView, remote: string | null): string {
  return remote !== null && !pushedInLedger(release) ? nextCommand({ ...release, state: 'tested' }, { remote }) : 'deploying comes in a later relmgr version; see relmgr status';
}

/**
 * What a phase's command prints once the phase succeeded (or, for a dry run, what it would have
 * done), and what it publishes for the CI job's next steps.
 */
export async function printPhaseDone(ctx: Context, options: { json?: boolean; dotenv?: string }, lifecycle: Lifecycle, outcome: PhaseOutcome): Promise<number> {
  const { release, result, ref } = outcome;
  const remote = lifecycle.session.releaseRemote;
  const redact = ctx.secrets.redact;
  if (lifecycle.recording) {
    const command = phaseDef(ref.phase)?.command ?? ref.phase;
    const verb = command.replace(/^relmgr /, '');
    const root = lifecycle.input.root;
    const logs = join('.relmgr', 'logs');
    // The gates the real run would stop at: listed, and the exit code it would give.
    const held = outcome.held.length > 0 ? heldError(release, outcome.held, command, outcome.heldTiming ?? undefined) : null;
    if (options.json) {
      printJson(ctx.stdout, { dryRun: true, version: release.version, tag: release.tag, phase: ref.phase, ...lifecycle.recording.toJson(root, logs, redact), gates: outcome.held.map((g) => gateDocument(g, planStopped(outcome.held))), wouldStop: held ? { code: held.code, exitCode: held.exitCode } : null });
    } else {
      ctx.stdout.write(lifecycle.recording.describe(`Would ${verb} ${release.version} (tag ${release.tag})`, root, logs, redact));
      if (held) ctx.stderr.write(`the real ${verb} would stop at its gates: ${held.message} (exit ${held.exitCode})\n${held.details.map((line) => `  ${line}\n`).join('')}hint: ${held.hint ?? ''}\n`);
    }
    return held?.exitCode ?? 0;
  }
  if (ref.phase === 'build') {
    const commit = String(result.commit);
    if (options.json) printJson(ctx.stdout, { version: release.version, tag: release.tag, phase: ref.phase, state: 'cut', commit, pushed: result.pushed === true });
    else ctx.stdout.write(cutDone(release, commit, outcome.pushedTo, remote));
    await writeCiOutputs(ctx, { version: release.version, tag: release.tag, released: 'true', state: 'cut' }, { dotenv: options.dotenv });
    return 0;
  }
  const steps = typeof result.steps === 'number' ? result.steps : 0;
  const state = phaseDef(ref.phase)?.reached ?? release.state;
  if (options.json) printJson(ctx.stdout, { version: release.version, tag: release.tag, phase: ref.phase, state, steps });
  else ctx.stdout.write(`Tested ${release.version}: ${steps} step${steps === 1 ? '' : 's'} passed\nNext: ${afterTest(release, remote)}\n`);
  await writeCiOutputs(ctx, { version: release.version, tag: release.tag, state }, { dotenv: options.dotenv });
  return 0;
}
