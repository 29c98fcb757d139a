import { join } from 'node:path';
import type { Context } from '../context.js';
import { RelmgrError } from '../errors.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { nextCommand } from '../core/lifecycle/next.js';
import { phaseCommand, type PhaseRef } from '../core/lifecycle/phases.js';
import type { Config } from '../core/config/schema.js';
import type { PhaseName } from '../core/lifecycle/events.js';
import type { Lifecycle, PhaseOutcome } from '../engine/lifecycle.js';
import { gateDocument, GatesHeld, heldError, planStopped } from '../engine/gates-held.js';
import { releaseOutputs, writeCiOutputs } from './ci-outputs.js';
import { printJson } from './output.js';

/** What `cut` and `resume` print once a release is cut: where it went, and what comes next. */
export function cutDone(release: ReleaseView, commit: string, pushedTo: string | null, remote: string | null): string {
  const next = pushedTo === null && remote !== null ? `relmgr test, and relmgr push to publish it (not pushed to ${remote})` : 'relmgr test';
  return `Cut ${release.version}: commit ${commit.slice(0, 7)}, tag ${release.tag}${pushedTo !== null ? `, pushed to ${pushedTo}` : ' (not pushed)'}\nNext: ${next}\n`;
}

/** What comes after a tested release: publishing it, if it was cut with --no-push; else the first environment (or close). */
function afterTest(release: ReleaseView, remote: string | null, config: Config | null): string {
  return nextCommand({ ...release, state: 'tested' }, { remote, config });
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
    const command = phaseCommand(ref);
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
    // Nothing was recorded: `state` is none (not where the release stands), as for every dry run.
    await writeCiOutputs(ctx, releaseOutputs({ version: release.version, tag: release.tag, state: 'none', environment: ref.env, released: false }), { dotenv: options.dotenv, command: `relmgr ${verb} --dry-run` });
    return held?.exitCode ?? 0;
  }
  if (ref.phase === 'build') {
    const commit = String(result.commit);
    if (options.json) printJson(ctx.stdout, { version: release.version, tag: release.tag, phase: ref.phase, state: 'cut', commit, pushed: result.pushed === true });
    else ctx.stdout.write(cutDone(release, commit, outcome.pushedTo, remote));
    await writeCiOutputs(ctx, releaseOutputs({ version: release.version, tag: release.tag, state: 'cut', released: true }), {
      dotenv: options.dotenv,
      command: `relmgr cut: ${release.version}`,
      next: outcome.pushedTo === null && remote !== null ? 'relmgr push' : 'relmgr test',
    });
    return 0;
  }
  const steps = typeof result.steps === 'number' ? result.steps : 0;
  const state = release.state;
  const env: Record<string, string> = ref.env === null ? {} : { environment: ref.env };
  const verb = phaseCommand(ref);
  const next = ref.phase === 'test' ? afterTest(release, remote, lifecycle.input.config) : nextCommand(release, { remote, config: lifecycle.input.config });
  if (options.json) printJson(ctx.stdout, { version: release.version, tag: release.tag, phase: ref.phase, ...env, state, steps, next });
  else ctx.stdout.write(`${DONE[ref.phase](release.version, ref.env)}: ${steps} step${steps === 1 ? '' : 's'} passed\nNext: ${next}\n`);
  await writeCiOutputs(ctx, releaseOutputs({ version: release.version, tag: release.tag, state, environment: ref.env, released: true }), { dotenv: options.dotenv, command: `${verb}: ${release.version}`, next });
  return 0;
}

/**
 * Runs a phase and prints what it did. A phase held at a gate (exit 10, 11, 12) still publishes its
 * CI outputs — `state` pending, rejected or timed_out, `released=false` — before the error is
 * reported, so the CI job can branch on them.
 */
export async function runPhase(ctx: Context, options: { json?: boolean; dotenv?: string }, lifecycle: Lifecycle, ref: PhaseRef, run: () => Promise<PhaseOutcome>): Promise<number> {
  let outcome: PhaseOutcome;
  try {
    outcome = await run();
  } catch (error) {
    const { release } = lifecycle;
    if (error instanceof GatesHeld) {
      const outputs = releaseOutputs({ version: release.version, tag: release.tag, state: error.outcome, environment: ref.env, released: false }, { exit: String(error.exitCode) });
      await writeCiOutputs(ctx, outputs, { dotenv: options.dotenv, command: `${phaseCommand(ref)}: ${release.version} held at a gate`, next: error.hint ?? undefined });
    } else if (error instanceof RelmgrError && error.exitCode >= 20 && error.exitCode <= 22 && !lifecycle.recording) {
      // A step failed (20), and the deploy was rolled back (21) or the rollback failed too (22): the state as recorded.
      const now = lifecycle.session.state.releases.find((r) => r.version === release.version && r.plannedAt === release.plannedAt) ?? release;
      const outputs = releaseOutputs({ version: release.version, tag: release.tag, state: now.state, environment: ref.env, released: false }, { exit: String(error.exitCode) });
      await writeCiOutputs(ctx, outputs, { dotenv: options.dotenv, command: `${phaseCommand(ref)}: ${release.version} ${error.exitCode === 21 ? 'rolled back' : 'failed'}`, next: error.hint ?? undefined });
    }
    throw error;
  }
  return printPhaseDone(ctx, options, lifecycle, outcome);
}

/** What a phase that succeeded did, in words. */
const DONE: Record<PhaseName, (version: string, env: string | null) => string> = {
  plan: (v) => `Planned ${v}`,
  build: (v) => `Cut ${v}`,
  test: (v) => `Tested ${v}`,
  deploy: (v, env) => `Deployed ${v} to ${env ?? '?'}`,
  monitor: (v) => `Monitored ${v}`,
  feedback: (v) => `Closed ${v}`,
  rollback: (v, env) => `Rolled ${v} back in ${env ?? '?'}`,
};
