import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger } from '../../src/core/lifecycle/fold.js';
import { envLock, envLockedError } from '../../src/engine/env-lock.js';

let n = 0;
const actor = { name: 'Bob', email: 'bob@example.com' };
function ev(release: string, type: LedgerEvent['type'], phase?: LedgerEvent['phase'], env?: string, data: Record<string, unknown> = {}): LedgerEvent {
  n += 1;
  return { v: 1, id: `e${n}`, type, release, at: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)).toISOString(), actor, data, ...(phase ? { phase } : {}), ...(env ? { env } : {}) };
}
const planned = (v: string): LedgerEvent => ev(v, 'release.planned', undefined, undefined, { tag: `v${v}`, base: 'b' });
const started = (v: string, phase: 'deploy' | 'rollback', env: string): LedgerEvent => ev(v, 'phase.started', phase, env, { host: 'ci-7', pid: 42 });
const ended = (v: string, phase: 'deploy' | 'rollback', env: string, how: 'succeeded' | 'failed' | 'interrupted' | 'gated' = 'succeeded'): LedgerEvent => ev(v, `phase.${how}`, phase, env);

describe('envLock: a deploy or rollback of any release with no end event holds its environment', () => {
  it.each<[string, LedgerEvent[], string, { version: string; phase: string } | null]>([
    ['nothing ran there', [planned('1.0.1')], 'staging', null],
    ['a deploy runs there', [planned('1.0.1'), started('1.0.1', 'deploy', 'staging')], 'staging', { version: '1.0.1', phase: 'deploy' }],
    ['a deploy runs in another environment', [planned('1.0.1'), started('1.0.1', 'deploy', 'production')], 'staging', null],
    ['the deploy ended', [planned('1.0.1'), started('1.0.1', 'deploy', 'staging'), ended('1.0.1', 'deploy', 'staging')], 'staging', null],
    ['the deploy failed', [planned('1.0.1'), started('1.0.1', 'deploy', 'staging'), ended('1.0.1', 'deploy', 'staging', 'failed')], 'staging', null],
    ['it was interrupted (recorded)', [planned('1.0.1'), started('1.0.1', 'deploy', 'staging'), ended('1.0.1', 'deploy', 'staging', 'interrupted')], 'staging', null],
    ['a rollback of an older release runs there', [planned('1.0.1'), started('1.0.1', 'rollback', 'staging'), planned('1.0.2')], 'staging', { version: '1.0.1', phase: 'rollback' }],
  ])('%s', (_name, events, env, expected) => {
    const lock = envLock(foldLedger(events), env);
    expect(lock && { version: lock.version, phase: lock.phase }).toEqual(expected);
  });

  it('E_ENV_LOCKED (exit 10) says who holds it, where, since when, and how to wait', () => {
    const lock = envLock(foldLedger([planned('1.0.1'), started('1.0.1', 'deploy', 'staging')]), 'staging');
    const error = envLockedError(lock as NonNullable<typeof lock>, 'staging', 'relmgr deploy staging --wait 5m');
    expect(error.code).toBe('E_ENV_LOCKED');
    expect(error.exitCode).toBe(10);
    expect(error.message).toMatch(/^staging is locked: the deploy of 1\.0\.1 runs there, started by Bob <bob@example\.com> on ci-7 \(pid 42\) at 2026-11-21 10:00 UTC \(nothing was done here\)$/);
    expect(error.hint).toBe('wait for it with: relmgr deploy staging --wait 30m (if that run is gone for good: relmgr resume --takeover --release 1.0.1)');
  });
});
