import { describe, expect, it } from 'vitest';
import type { GateAt } from '../../src/core/gates/address.js';
import type { Evaluated } from '../../src/engine/gate-keeper.js';
import { gateWatch, passedLine, waitingLine } from '../../src/ui/gate-watch.js';
import { capture } from '../helpers/context.js';

const at = (kind: GateAt['kind'], id: string, gate: Record<string, unknown> = {}): GateAt => ({ kind, id, gate, key: `x:${id}`, where: 'environments.production.entry' }) as unknown as GateAt;

describe('gate progress lines', () => {
  it.each([
    [{ at: at('approval', 'signoff'), state: { status: 'passed', reason: 'approved' } }, '✓ approval signoff'],
    [{ at: at('wait', 'wait', { wait: '30m' }), state: { status: 'passed', reason: 'waited' } }, '✓ wait 30m'],
    [{ at: at('approval', 'signoff'), state: { status: 'skipped', reason: 'emergency track' } }, '↷ approval signoff skipped (emergency track)'],
  ])('%#', (s, line) => {
    expect(passedLine(s as unknown as Evaluated)).toBe(line);
  });

  it('without a terminal, --wait says how long it waited at most once a minute, timestamped', () => {
    const stderr = capture(false);
    const now = new Date('2026-11-30T10:00:00Z');
    const line = waitingLine({ stderr, wallClock: { now: () => now } });
    for (const waited of [0, 15_000, 30_000, 45_000, 60_000, 75_000, 120_000]) line.tick(waited, 1_800_000);
    line.clear();
    expect(stderr.text).toBe('2026-11-30T10:00:00Z  waiting 0.0s of 30m\n2026-11-30T10:00:00Z  waiting 1m of 30m\n2026-11-30T10:00:00Z  waiting 2m of 30m\n');
  });

  it('on a terminal, one live line redrawn in place and cleared before anything else', () => {
    const stderr = capture(true);
    const line = waitingLine({ stderr, wallClock: { now: () => new Date('2026-11-30T10:03:12Z') } });
    line.tick(192_000, 1_800_000);
    line.clear();
    expect(stderr.text).toBe('\r\x1b[2K⠋ waiting 3m12s of 30m\r\x1b[2K');
  });

  it('tells each gate that passed once per phase and environment (the deploy phase\'s own gates again in each environment)', () => {
    const stderr = capture(true);
    const watch = gateWatch({ stderr, stdin: { isTTY: false }, env: {}, wallClock: { now: () => new Date() }, prompts: () => { throw new Error('no prompts'); } }, {}, 'relmgr release');
    const signoff = { at: at('approval', 'signoff'), state: { status: 'passed', reason: 'approved' } } as unknown as Evaluated;
    watch.passed?.([signoff], { phase: 'deploy', env: 'staging' });
    watch.passed?.([signoff], { phase: 'deploy', env: 'staging', attempt: 'e1' });
    watch.passed?.([signoff], { phase: 'deploy', env: 'production' });
    expect(stderr.text).toBe('✓ approval signoff\n✓ approval signoff\n');
  });

  const watchOn = (tty: boolean, clock: { now: () => Date }) => {
    const stderr = capture(tty);
    const watch = gateWatch({ stderr, stdin: { isTTY: false }, env: {}, wallClock: clock, prompts: () => { throw new Error('no prompts'); } }, { wait: '30m' }, 'relmgr deploy production');
    return { stderr, watch };
  };

  it('in CI, every waiting line is timestamped, and the same wait is said again at most once a minute unless it changed', () => {
    let now = Date.parse('2026-11-30T10:00:00Z');
    const { stderr, watch } = watchOn(false, { now: () => new Date(now) });
    const said: [number, string, string][] = [
      [0, '… waiting: a wait 5m: 5m left\n… waiting: b approval signoff: pending', 'same'],
      [15_000, '… waiting: a wait 5m: 4m45s left\n… waiting: b approval signoff: pending', 'same'], // a poll, only reworded: left out
      [30_000, '… waiting: a wait 5m: 4m30s left', 'changed'], // signoff was approved: said at once
      [45_000, '… waiting: a wait 5m: 4m15s left', 'changed'],
      [90_000, '… waiting: a wait 5m: 3m30s left', 'changed'], // a minute since it was said
      [100_000, '… waiting for staging: the deploy of 1.0.1 runs there', 'lock'],
    ];
    for (const [at, line, about] of said) {
      now = Date.parse('2026-11-30T10:00:00Z') + at;
      watch.say(line, about);
    }
    expect(stderr.text).toBe(
      [
        '2026-11-30T10:00:00Z  … waiting: a wait 5m: 5m left',
        '2026-11-30T10:00:00Z  … waiting: b approval signoff: pending',
        '2026-11-30T10:00:30Z  … waiting: a wait 5m: 4m30s left',
        '2026-11-30T10:01:30Z  … waiting: a wait 5m: 3m30s left',
        '2026-11-30T10:01:40Z  … waiting for staging: the deploy of 1.0.1 runs there',
        '',
      ].join('\n'),
    );
  });

  it('on a terminal, the live waiting line is cleared before a gate that passed is told', () => {
    const { stderr, watch } = watchOn(true, { now: () => new Date('2026-11-30T10:00:15Z') });
    watch.tick?.(15_000, 300_000);
    watch.passed?.([{ at: at('approval', 'signoff'), state: { status: 'passed', reason: 'approved' } } as unknown as Evaluated], { phase: 'deploy', env: 'production' });
    watch.settle?.();
    expect(stderr.text).toBe('\r\x1b[2K⠋ waiting 15.0s of 5m\r\x1b[2K✓ approval signoff\n');
  });
});
