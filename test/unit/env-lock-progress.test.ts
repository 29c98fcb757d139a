import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger } from '../../src/core/lifecycle/fold.js';
import { waitForEnvLock } from '../../src/engine/env-lock.js';
import type { Session } from '../../src/engine/session.js';
import { gateWatch } from '../../src/ui/gate-watch.js';
import { capture } from '../helpers/context.js';

const actor = { name: 'Bob', email: 'bob@example.com' };
const ev = (type: LedgerEvent['type'], n: number, extra: Partial<LedgerEvent> = {}, data: Record<string, unknown> = {}): LedgerEvent => ({ v: 1, id: `e${n}`, type, release: '1.0.1', at: new Date(Date.UTC(2026, 10, 30, 10, 0, 0, n)).toISOString(), actor, data, ...extra });
const held = foldLedger([ev('release.planned', 1, {}, { tag: 'v1.0.1', base: 'b' }), ev('phase.started', 2, { phase: 'deploy', env: 'staging' }, { host: 'ci-7', pid: 42 })]);
const free = foldLedger([ev('release.planned', 1, {}, { tag: 'v1.0.1', base: 'b' })]);

/** A session whose ledger holds the lock for `looks` looks, then frees it. */
function session(looks: number): Session {
  let seen = 0;
  const s = {
    state: held,
    sync: async (): Promise<void> => {
      seen += 1;
      s.state = seen >= looks ? free : held;
    },
  };
  return s as unknown as Session;
}

describe('waiting for the environment lock with --wait', () => {
  it('in CI: the waiting line and how long it waited, timestamped, the waited time at most once a minute', async () => {
    let now = Date.parse('2026-11-30T10:00:00Z');
    const clock = { now: () => new Date(now) };
    const stderr = capture(false);
    const watch = gateWatch({ stderr, stdin: { isTTY: false }, env: {}, wallClock: clock, prompts: () => { throw new Error('no prompts'); } }, { wait: '30m' }, 'relmgr deploy staging');
    await waitForEnvLock(session(6), 'staging', watch, 'relmgr deploy staging --wait 30m', () => clock.now(), async (ms) => void (now += ms));
    expect(stderr.text).toBe(
      [
        '2026-11-30T10:00:00Z  … waiting for staging: the deploy of 1.0.1 runs there (Bob on ci-7)',
        '2026-11-30T10:00:00Z  waiting 0.0s of 30m',
        '2026-11-30T10:01:00Z  waiting 1m of 30m',
        '',
      ].join('\n'),
    );
  });

  it('on a terminal: a live line, cleared once the lock is free', async () => {
    const clock = { now: () => new Date('2026-11-30T10:00:00Z') };
    const stderr = capture(true);
    const watch = gateWatch({ stderr, stdin: { isTTY: false }, env: {}, wallClock: clock, prompts: () => { throw new Error('no prompts'); } }, { wait: '30m' }, 'relmgr deploy staging');
    await waitForEnvLock(session(1), 'staging', watch, 'relmgr deploy staging --wait 30m', () => clock.now(), async () => undefined);
    expect(stderr.text).toBe('… waiting for staging: the deploy of 1.0.1 runs there (Bob on ci-7)\n\r\x1b[2K⠋ waiting 0.0s of 30m\r\x1b[2K');
  });
});
