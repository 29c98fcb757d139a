import type { Config } from '../core/config/schema.js';
import { describeNow, environmentNow, type Deployment } from '../core/lifecycle/deployments.js';
import { deployOrder, deployedTo, isProduction } from '../core/lifecycle/environments.js';
import type { Actor } from '../core/lifecycle/events.js';
import type { LedgerState, PhaseAttempt, ReleaseView } from '../core/lifecycle/fold.js';
import { when } from '../core/lifecycle/next.js';
import type { Evaluated } from '../engine/gate-keeper.js';
import { envLock } from '../engine/env-lock.js';
import { gateDocument, planStopped } from '../engine/gates-held.js';

/** One environment as `status` shows it: what runs there now, and how this release went there. */
export interface EnvironmentView {
  name: string;
  tier: string | null;
  production: boolean;
  /** This release there: pending (not yet), running, succeeded, failed, interrupted, gated, rolled_back. */
  state: string;
  /** The version it runs now (from every release's deploys and rollbacks), null: nothing yet, or in doubt. */
  version: string | null;
  /** A deploy or rollback failed there last: it may run any of `candidates` (or, after a failed rollback, neither). */
  inDoubt: boolean;
  candidates: string[];
  /** How status says it: `runs 1.2.0`, or what it may run and why. */
  runs: string;
  /** When and by whom that version was put there (a deploy, or a rollback that put it back). */
  deployedAt: string | null;
  deployedBy: Actor | null;
  /** A deploy or rollback running there now (of any release): the environment's lock. */
  running: { release: string; phase: 'deploy' | 'rollback'; actor: Actor; host: string | null; since: string } | null;
  /** This release's newest attempt there: when, by whom, its steps. */
  attempt: { startedAt: string; finishedAt: string | null; actor: Actor; attempts: number; steps: { name: string; state: string; exitCode: number | null }[] } | null;
  /** This release's newest rollback there, if any. */
  rollback: { state: string; to: string | null; at: string; by: Actor; reason: string | null } | null;
  gates: Evaluated[];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Every environment in promotion order, for `status`. */
export function environmentViews(config: Config | null, state: LedgerState, release: ReleaseView, history: readonly Deployment[], gates: readonly Evaluated[]): EnvironmentView[] {
  return deployOrder(config).map((name) => {
    const phases = release.environments[name] ?? {};
    const deploy = phases.deploy?.attempts.at(-1) ?? null;
    const rollback = phases.rollback?.attempts.at(-1) ?? null;
    const now = environmentNow(history, name);
    const version = now.version;
    const lock = envLock(state, name);
    const rolledBack = rollback !== null && rollback.state === 'succeeded' && (deploy === null || rollback.startedAt > deploy.startedAt);
    const newest: PhaseAttempt | null = rollback !== null && (deploy === null || rollback.startedAt > deploy.startedAt) ? rollback : deploy;
    return {
      name,
      tier: config?.environments[name]?.tier ?? null,
      production: isProduction(config, name),
      state: rolledBack ? 'rolled_back' : deployedTo(release, name) ? 'succeeded' : (deploy?.state ?? 'pending'),
      version,
      inDoubt: now.inDoubt,
      candidates: now.candidates,
      runs: describeNow(now),
      deployedAt: version !== null ? now.since : null,
      deployedBy: version !== null ? now.by : null,
      running: lock ? { release: lock.version, phase: lock.phase, actor: lock.attempt.actor, host: lock.attempt.host, since: lock.attempt.startedAt } : null,
      attempt: newest
        ? { startedAt: newest.startedAt, finishedAt: newest.finishedAt, actor: newest.actor, attempts: (newest === rollback ? phases.rollback : phases.deploy)?.attempts.length ?? 1, steps: newest.steps.map((s) => ({ name: s.name, state: s.state, exitCode: s.exitCode })) }
        : null,
      rollback: rollback ? { state: rollback.state, to: text(rollback.options.to), at: rollback.startedAt, by: rollback.actor, reason: text(rollback.options.reason) } : null,
      gates: gates.filter((g) => g.at.env === name),
    };
  });
}

/** The environments as `status --json` has them. */
export function environmentsJson(views: readonly EnvironmentView[], all: readonly Evaluated[]): Record<string, unknown>[] {
  return views.map((v) => ({ ...v, gates: v.gates.map((g) => gateDocument(g, planStopped(all))) }));
}

const STATE: Record<string, string> = { pending: 'not deployed', succeeded: 'deployed', rolled_back: 'rolled back', gated: 'waiting at a gate' };

/** The environments as `status` prints them: one line each, and this release's steps and rollback under it. */
export function environmentLines(views: readonly EnvironmentView[], release: ReleaseView): string[] {
  if (views.length === 0) return [];
  const width = Math.max(...views.map((v) => v.name.length));
  const lines = ['', 'Environments:'];
  for (const v of views) {
    const runs = v.version === null ? v.runs : `${v.runs}${v.deployedAt ? ` since ${when(v.deployedAt)}` : ''}${v.deployedBy ? ` (by ${v.deployedBy.name})` : ''}`;
    const mine = `${release.version} ${STATE[v.state] ?? v.state}`;
    const by = v.attempt && v.state !== 'pending' ? ` by ${v.attempt.actor.name} at ${when(v.attempt.startedAt)}${v.attempt.attempts > 1 ? `, attempt ${v.attempt.attempts}` : ''}` : '';
    lines.push(`  ${v.name.padEnd(width)}  ${v.production ? '[production] ' : ''}${runs}; ${mine}${by}`);
    if (v.running) lines.push(`  ${' '.repeat(width)}  locked: the ${v.running.phase} of ${v.running.release} runs there (${v.running.actor.name}${v.running.host ? ` on ${v.running.host}` : ''}, since ${when(v.running.since)})`);
    if (v.rollback) lines.push(`  ${' '.repeat(width)}  rollback ${v.rollback.state}${v.rollback.to ? ` to ${v.rollback.to}` : ''} by ${v.rollback.by.name} at ${when(v.rollback.at)}${v.rollback.reason ? `: ${v.rollback.reason.split('\n')[0] ?? ''}` : ''}`);
    const failed = v.attempt?.steps.filter((s) => s.state === 'failed' || s.state === 'running') ?? [];
    for (const s of failed) lines.push(`  ${' '.repeat(width)}  ${s.state === 'failed' ? '✖' : '…'} ${s.name}${s.state === 'failed' ? `  exit ${s.exitCode ?? '?'}` : v.state === 'running' ? '  running' : '  did not finish'}`);
  }
  return lines;
}
