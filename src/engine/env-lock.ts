import type { LedgerState, PhaseAttempt } from '../core/lifecycle/fold.js';
import { RelmgrError } from '../errors.js';
import type { GateWatch } from './gate-keeper.js';
import type { Session } from './session.js';

/*
 * An environment's lock is in the ledger: a deploy or rollback attempt of any release in that
 * environment with no end event (it runs, here or elsewhere). The runner decides it with the
 * phase's start (a compare-and-swap on the shared ledger), so no two run at once, across machines.
 * A run killed on this host is judged interrupted when the ledger is read (the lock is free); one
 * on another host holds it until `relmgr resume --takeover` there or here ends it.
 */

/** The deploy or rollback that holds an environment, if one does. */
export interface EnvLock {
  version: string;
  phase: 'deploy' | 'rollback';
  attempt: PhaseAttempt;
}

/** Who holds `env`'s lock in this state of the ledger (null: it is free). */
export function envLock(state: LedgerState, env: string): EnvLock | null {
  for (const release of state.releases) {
    for (const phase of ['deploy', 'rollback'] as const) {
      const attempt = release.environments[env]?.[phase]?.attempts.at(-1);
      if (attempt?.state === 'running') return { version: release.version, phase, attempt };
    }
  }
  return null;
}

const when = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** E_ENV_LOCKED (exit 10): who holds the environment, where, since when; `again` with --wait waits for it. */
export function envLockedError(lock: EnvLock, env: string, again: string): RelmgrError {
  const { attempt } = lock;
  const where = attempt.host ? ` on ${attempt.host}${attempt.pid !== null ? ` (pid ${attempt.pid})` : ''}` : '';
  const takeover = `relmgr resume --takeover${lock.version ? ` --release ${lock.version}` : ''}`;
  return new RelmgrError('E_ENV_LOCKED', `${env} is locked: the ${lock.phase} of ${lock.version} runs there, started by ${attempt.actor.name} <${attempt.actor.email}>${where} at ${when(attempt.startedAt)} (nothing was done here)`, {
    hint: `wait for it with: ${again.replace(/ --wait \S+/, '')} --wait 30m (if that run is gone for good: ${takeover})`,
    data: { lock: { env, release: lock.version, phase: lock.phase, actor: attempt.actor, host: attempt.host, pid: attempt.pid, since: attempt.startedAt } },
  });
}

/**
 * Before a deploy or rollback: the environment's lock as the ledger says now. Without --wait a held
 * lock is E_ENV_LOCKED at once; with it, the ledger is fetched again every poll until the lock is
 * free (then the caller goes on) or the time is up.
 */
export async function waitForEnvLock(session: Session, env: string, watch: GateWatch, again: string, clock: () => Date, sleep: (ms: number) => Promise<void>): Promise<void> {
  let said = '';
  let since: number | null = null;
  for (;;) {
    const lock = envLock(session.state, env);
    if (lock === null) {
      if (since !== null) watch.settle?.();
      return;
    }
    const now = clock().getTime();
    if (watch.until === null || now >= watch.until) {
      if (since !== null) watch.settle?.();
      throw envLockedError(lock, env, again);
    }
    const line = `… waiting for ${env}: the ${lock.phase} of ${lock.version} runs there (${lock.attempt.actor.name}${lock.attempt.host ? ` on ${lock.attempt.host}` : ''})`;
    if (line !== said) watch.say(line, line);
    said = line;
    // Progress, as at a gate: a live line at a terminal, a timestamped line at most once a minute in CI.
    since ??= now;
    watch.tick?.(now - since, watch.until - since);
    await sleep(Math.max(1, Math.min(watch.pollMs, watch.until - now)));
    await session.sync();
  }
}
