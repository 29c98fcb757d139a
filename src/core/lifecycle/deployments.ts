import type { Actor, LedgerEvent } from './events.js';

/**
 * What environments ran, from the deploy and rollback summaries of every release (deploy.succeeded,
 * deploy.failed, rollback.succeeded, rollback.failed). Pure: the same events, the same history.
 */
export interface Deployment {
  kind: 'deploy' | 'rollback';
  outcome: 'succeeded' | 'failed';
  /** The release the event belongs to: the one deployed, or the one rolled back. */
  release: string;
  env: string;
  at: string;
  actor: Actor;
  /** A production-tier environment (when it was recorded). */
  production: boolean;
  /** A rollback's target: the version the environment runs after it (null: it had none before). */
  to: string | null;
}

/** Whether a ledger file holds a deploy or rollback summary (what `Ledger.readPicked` reads for the history). */
export const isDeploymentEvent = (name: { type: string }): boolean => /^(deploy|rollback)\.(succeeded|failed)$/.test(name.type);

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The deploy and rollback summaries among events, as deployments, oldest first. */
export function deployments(events: readonly LedgerEvent[]): Deployment[] {
  return events.flatMap((event): Deployment[] => {
    if (!isDeploymentEvent(event)) return [];
    const env = str(event.data.env) ?? event.env ?? null;
    if (env === null) return [];
    const [kind, outcome] = event.type.split('.') as ['deploy' | 'rollback', 'succeeded' | 'failed'];
    return [{ kind, outcome, release: event.release, env, at: event.at, actor: event.actor, production: event.data.production === true, to: str(event.data.to) }];
  });
}

/**
 * The version an environment runs after the deployments before `until` (all when null): the last
 * release deployed there, or what a rollback since put back. Null: nothing was ever deployed there.
 */
export function runningIn(history: readonly Deployment[], env: string, until: string | null = null): string | null {
  let current: string | null = null;
  for (const d of history) {
    if (d.env !== env || d.outcome !== 'succeeded' || (until !== null && d.at >= until)) continue;
    current = d.kind === 'deploy' ? d.release : d.to;
  }
  return current;
}

/**
 * What a rollback of `release` in `env` goes back to: what the environment ran before `release` was
 * first deployed there (its own deploys and rollbacks do not count). Null: nothing ran there before.
 */
export function previousIn(history: readonly Deployment[], env: string, release: string): string | null {
  const first = history.find((d) => d.env === env && d.release === release && d.kind === 'deploy');
  const before = history.filter((d) => d.release !== release);
  return runningIn(before, env, first?.at ?? null);
}

/** The versions that ever succeeded in `env` (oldest first, each once): what `rollback --to` may name. */
export function succeededIn(history: readonly Deployment[], env: string): string[] {
  return [...new Set(history.filter((d) => d.env === env && d.kind === 'deploy' && d.outcome === 'succeeded').map((d) => d.release))];
}

/**
 * What an environment runs now, as far as the ledger can tell. A deploy or rollback that succeeded
 * says it; one that failed leaves the environment in doubt — it may run either version (a deploy
 * that failed halfway) or neither (a rollback that failed) — until a deploy or rollback succeeds there.
 */
export interface EnvironmentNow {
  /** The version it runs; null: nothing yet, or in doubt. */
  version: string | null;
  /** When and by whom that version was put there (in doubt: when and by whom it failed). */
  since: string | null;
  by: Actor | null;
  inDoubt: boolean;
  /** In doubt: the versions it may run (the failed one first). */
  candidates: string[];
  /** In doubt: what failed there. */
  failed: { kind: 'deploy' | 'rollback'; release: string; to: string | null } | null;
}

/** What `env` runs now after every deploy and rollback in `history` (see EnvironmentNow). */
export function environmentNow(history: readonly Deployment[], env: string): EnvironmentNow {
  let now: EnvironmentNow = { version: null, since: null, by: null, inDoubt: false, candidates: [], failed: null };
  for (const d of history) {
    if (d.env !== env) continue;
    if (d.outcome === 'succeeded') {
      const version = d.kind === 'deploy' ? d.release : d.to;
      now = { version, since: d.at, by: d.actor, inDoubt: false, candidates: [], failed: null };
      continue;
    }
    // A deploy that failed: the new version or what ran before; a rollback that failed: the version rolled back, or its target.
    const other = d.kind === 'deploy' ? (now.inDoubt ? now.candidates : now.version !== null ? [now.version] : []) : d.to !== null ? [d.to] : [];
    const candidates = [...new Set([d.release, ...other])];
    now = { version: null, since: d.at, by: d.actor, inDoubt: true, candidates, failed: { kind: d.kind, release: d.release, to: d.to } };
  }
  return now;
}

/** How `status` says what an environment runs: `runs 1.2.0`, `runs nothing yet`, or what it may run when in doubt. */
export function describeNow(now: EnvironmentNow): string {
  if (!now.inDoubt) return now.version === null ? 'runs nothing yet' : `runs ${now.version}`;
  const [first, second] = now.candidates;
  if (now.failed?.kind === 'rollback') {
    return `may run neither ${first ?? '?'} nor ${second ?? 'what ran before'}: the rollback of ${now.failed.release} failed (relmgr resume retries it)`;
  }
  return `may run ${first ?? '?'} or ${second ?? 'nothing'}: the deploy of ${now.failed?.release ?? '?'} failed (relmgr resume retries it)`;
}

/**
 * Whether an on-demand rollback of `release` in `env` may run: the environment runs it now, or it
 * is in doubt with this release among what it may run (its deploy or rollback there failed).
 */
export function mayRollBack(now: EnvironmentNow, release: string): boolean {
  return now.version === release || (now.inDoubt && now.candidates.includes(release));
}
