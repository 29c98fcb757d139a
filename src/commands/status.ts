import { gateLabel } from '../core/gates/address.js';
import type { Context } from '../context.js';
import { PHASES } from '../core/lifecycle/events.js';
import type { PhaseAttempt, ReleaseView } from '../core/lifecycle/fold.js';
import { nextCommand, when } from '../core/lifecycle/next.js';
import { phaseLabel } from '../core/lifecycle/phases.js';
import { describeRunning, runningNext, runningPhase } from '../engine/liveness.js';
import { atReleaseCommit, commitHere, pushedInLedger } from '../engine/published.js';
import { openSession, targetRelease } from '../engine/session.js';
import { gateDocument, planStopped } from '../engine/gates-held.js';
import { nextWithGates, releaseGateStates } from '../engine/release-gates.js';
import { gateLines } from '../ui/gate-lines.js';
import { environmentLines, environmentsJson, environmentViews } from '../ui/environments.js';
import { printJson } from '../ui/output.js';
import { prepare, type GlobalOptions } from '../engine/prepare.js';
import { scheduleJson, scheduleLines } from '../ui/schedule.js';

export interface StatusOptions extends GlobalOptions {
  release?: string;
}

const seconds = (ms: number | null): string => (ms === null ? '' : ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`);
const span = (a: PhaseAttempt): number | null => (a.finishedAt ? Date.parse(a.finishedAt) - Date.parse(a.startedAt) : null);

/** How an interrupted attempt stopped, in words. */
function interruptedState(attempt: PhaseAttempt): string {
  const how = attempt.interruption;
  if (how?.takeover) return 'interrupted (taken over)';
  return how?.signal ? `interrupted (${how.signal})` : 'interrupted (killed before it could record)';
}

const EFFECTS = ['files', 'commit', 'tag', 'push'];

/** An attempt's effects: applied (✔ with what and where), undone (↶), and the one that failed (✖). */
function effectLines(attempt: PhaseAttempt): string[] {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const lines = attempt.effects.map((e) => {
    if (e.undone) return `↶ ${e.kind} (undone)`;
    const what = e.kind === 'push' ? `to ${text(e.data.remote)}` : e.kind === 'tag' ? text(e.data.tag) : e.kind === 'commit' ? text(e.data.commit).slice(0, 7) : '';
    return `✔ ${e.kind}${what ? ` ${what}` : ''}`;
  });
  // A failure after the steps (not one of them) is the effect that came next: a refused push, say.
  const kind = attempt.result.kind;
  if (attempt.state === 'failed' && typeof kind === 'string' && kind !== 'E_STEP_FAILED' && attempt.effects.length > 0) {
    const done = new Set(attempt.effects.map((e) => e.kind));
    const failed = EFFECTS.find((k) => !done.has(k) && (k !== 'push' || attempt.options.push !== false));
    if (failed) lines.push(`✖ ${failed} failed`);
  }
  if (attempt.refused) lines.push(`✖ ${attempt.refused.kind} refused${attempt.refused.code ? ` (${attempt.refused.code})` : ''}`);
  return lines;
}

function phaseJson(release: ReleaseView) {
  return Object.fromEntries(
    PHASES.map((name) => {
      const phase = release.phases[name];
      const last = phase.attempts[phase.attempts.length - 1];
      // The plan phase is the release.planned event: a planned release has done it.
      if (name === 'plan' && !last) return [name, { state: 'succeeded', attempts: 1, startedAt: release.plannedAt, finishedAt: release.plannedAt, actor: release.initiator }];
      return [
        name,
        {
          state: phase.state,
          attempts: phase.attempts.length,
          ...(last
            ? {
                startedAt: last.startedAt,
                finishedAt: last.finishedAt,
                durationMs: span(last),
                actor: last.actor,
                host: last.host,
                pid: last.pid,
                interruption: last.interruption,
                error: last.error,
                steps: last.steps.map((s) => ({ name: s.name, state: s.state, attempts: s.attempts, exitCode: s.exitCode, timedOut: s.timedOut, durationMs: s.durationMs, reason: s.reason, actor: s.actor, logFile: s.logFile })),
                effects: last.effects.map((e) => ({ kind: e.kind, undone: e.undone })),
              }
            : {}),
        },
      ];
    }),
  );
}

/** `relmgr status`: where a release stands, from the ledger. */
export async function run(ctx: Context, options: StatusOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  const session = await openSession(ctx, prepared, { write: false, release: options.release });
  // Nothing open because the newest release was closed: show it (its outcome and note), not "no open release".
  const newest = session.state.releases.at(-1);
  const release = options.release === undefined && session.state.open === null && newest?.closed ? newest : targetRelease(session.state, options.release);
  const running = runningPhase(release, session.here);
  const cut = release.phases.build.state === 'succeeded';
  const pushed = cut ? pushedInLedger(release) : null;
  // A release cut with --no-push in another clone can only be pushed from there.
  const here = pushed === false ? await commitHere(ctx.releaseGit(prepared.info.root, session.network.timeoutMs), release) : true;
  const gates = releaseGateStates(prepared.loaded.config, release, ctx.wallClock.now());
  // What each environment runs now: the next environment is the first before production that does not run this release.
  const history = await session.deployments();
  const after = running ? runningNext(running) : nextCommand(release, { remote: session.releaseRemote, commitHere: here, config: prepared.loaded.config, history });
  const gated = running ? after : nextWithGates(prepared.loaded.config, release, gates, after, ctx.wallClock.now(), history);
  // Test and deploy run at the release commit: from another checkout, the next command starts with it.
  const next = release.state === 'abandoned' || release.state === 'closed' ? gated : await atReleaseCommit(ctx.releaseGit(prepared.info.root, session.network.timeoutMs), session.releaseRemote, release, gated);
  const environments = environmentViews(prepared.loaded.config, session.state, release, history, gates);
  if (options.json) {
    printJson(ctx.stdout, {
      version: release.version,
      tag: release.tag,
      state: release.state,
      track: release.track,
      reason: typeof release.planned.reason === 'string' ? release.planned.reason : null,
      incident: typeof release.planned.incident === 'string' ? release.planned.incident : null,
      base: release.base,
      branch: release.branch,
      previousVersion: release.previousVersion,
      initiator: release.initiator,
      plannedAt: release.plannedAt,
      running: release.running && phaseLabel(release.running),
      interrupted: release.interrupted && phaseLabel(release.interrupted),
      abandoned: release.abandoned,
      closed: release.closed,
      pushed,
      phases: phaseJson(release),
      environments: environmentsJson(environments, gates),
      gates: gates.map((g) => gateDocument(g, planStopped(gates))),
      next,
      ...scheduleJson(prepared.loaded.config, release, ctx.wallClock.now()),
    });
    return 0;
  }
  const lines = [
    `${release.version} (${release.tag}): ${release.state}${release.running ? `, ${phaseLabel(release.running)} running` : release.interrupted ? `, ${phaseLabel(release.interrupted)} interrupted` : ''}, ${release.track} track`,
    `  planned by ${release.initiator.name} <${release.initiator.email}> at ${when(release.plannedAt)}, from ${release.previousVersion ?? 'nothing'} at ${release.base.slice(0, 7)}${release.branch ? ` on ${release.branch}` : ''}`,
  ];
  if (release.track === 'emergency') {
    const { reason, incident } = release.planned;
    const skipped = gates.filter((g) => g.state.status === 'skipped').map((g) => `${g.at.where} ${gateLabel(g.at)}${g.state.overridden ? ` (overrides ${g.state.overridden.join(', ')})` : ''}`);
    lines.push(`  emergency${typeof incident === 'string' ? ` ${incident}` : ''}${typeof reason === 'string' ? `: ${reason}` : ''}${skipped.length > 0 ? `; skips ${skipped.join(', ')}` : ''}`);
  }
  if (pushed === false && release.state !== 'abandoned') {
    const publish = here ? `publish it with relmgr push (to ${session.releaseRemote})` : 'its release commit is only in the clone that cut it';
    lines.push(`  not pushed: ${session.releaseRemote ? publish : 'no remote'}`);
  }
  if (release.closed) lines.push(`  closed by ${release.closed.actor.name} at ${when(release.closed.at)} (outcome: ${release.closed.outcome.replace('_', ' ')})${release.closed.note ? `: ${release.closed.note}` : ''}`);
  lines.push(...scheduleLines(prepared.loaded.config, release, ctx.wallClock.now()));
  if (release.abandoned) lines.push(`  abandoned by ${release.abandoned.actor.name} at ${when(release.abandoned.at)}${release.abandoned.reason ? `: ${release.abandoned.reason}` : ''}`);
  lines.push('');
  for (const name of PHASES) {
    const phase = release.phases[name];
    const last = phase.attempts[phase.attempts.length - 1];
    if (!last) continue;
    const state = running?.phase === name ? describeRunning(running) : last.state === 'interrupted' ? interruptedState(last) : last.state === 'gated' ? `waiting at a gate (${last.gated?.outcome ?? 'pending'})` : last.state;
    const tries = phase.attempts.length > 1 ? `, attempt ${phase.attempts.length}` : '';
    lines.push(`  ${name.padEnd(8)} ${state}  ${seconds(span(last))}  by ${last.actor.name} at ${when(last.startedAt)}${tries}`);
    for (const step of last.steps) {
      const mark = step.state === 'succeeded' ? '✔' : step.state === 'failed' ? '✖' : step.state === 'skipped' ? '↷' : '…';
      const detail = step.state === 'failed' ? (step.timedOut ? 'timed out' : `exit ${step.exitCode}`) : step.state === 'skipped' ? (step.reason ?? 'skipped') : step.state === 'running' ? (last.state === 'running' ? 'running' : 'did not finish') : '';
      lines.push(`             ${mark} ${step.name}  ${seconds(step.durationMs)}${detail ? `  ${detail}` : ''}${step.attempts > 1 ? `  (${step.attempts} attempts)` : ''}`);
    }
    for (const effect of effectLines(last)) lines.push(`             ${effect}`);
    // An error may quote git's multi-line output: every line stays under its phase.
    if (last.error) lines.push(...last.error.split('\n').filter((line) => line.trim() !== '').map((line) => `             ${line}`));
  }
  if (!Object.values(release.phases).some((p) => p.attempts.length > 0)) lines.push('  no phase has run yet');
  lines.push(...environmentLines(environments, release));
  // A deploy or rollback of this release that runs (or was left running by a relmgr that is gone).
  if (running && running.ref.env !== null) lines.push(`  ${running.phase}: ${describeRunning(running)}`);
  if (gates.length > 0) lines.push('', 'Gates:', ...gateLines(gates));
  lines.push('', `Next: ${next}`);
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
