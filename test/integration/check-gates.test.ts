import { openOutputLog as openLog } from '../../src/adapters/process.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShellResult } from '../../src/adapters/process.js';
import type { Config } from '../../src/core/config/schema.js';
import type { ReleaseView } from '../../src/core/lifecycle/fold.js';
import { gateSteps, runSteps } from '../../src/engine/phase-steps.js';
import type { Session } from '../../src/engine/session.js';
import { runStep, type StepRunContext } from '../../src/engine/steps.js';

/* Check gates wait `interval` between tries: a fake sleep records the waits and moves a fake clock. */

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function harness(exits: number[]) {
  const root = mkdtempSync(join(tmpdir(), 'relmgr-gates-'));
  dirs.push(root);
  let now = Date.parse('2026-11-21T00:00:00Z');
  const waits: number[] = [];
  const runs: number[] = [];
  const context: StepRunContext = {
    root,
    baseEnv: {},
    release: { version: '1.0.1', tag: 'v1.0.1', previousVersion: '1.0.0', phase: 'test' },
    logDir: join(root, 'logs'),
    reporter: { start: () => undefined, output: () => undefined, finish: () => undefined },
    clock: () => new Date(now),
    shell: {
      run: async (): Promise<ShellResult> => {
        runs.push(now);
        now += 1_000; // each run of the check takes a second
        return { exitCode: exits.shift() ?? 0, signal: null, timedOut: false, durationMs: 1_000 };
      },
      openLog,
    },
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
  return { context, waits, runs };
}

const config = (check: Record<string, unknown>) => ({ checks: { ready: { run: 'curl -f https://example.com/health', ...check } } }) as unknown as Config;

describe('check gates', () => {
  it.each([
    ['30s', 2, [1, 1, 0], [30_000, 30_000]],
    ['10s (the default)', 3, [1, 0], [10_000]],
    ['2m', 1, [1, 1], [120_000]],
  ])('wait the interval (%s) between retries, never back to back', async (interval, retries, exits, waits) => {
    const check = interval.startsWith('10s') ? { retries } : { retries, interval };
    const [step] = gateSteps(config(check), [{ check: 'ready' }], 'phases.test.exit');
    const h = harness([...exits]);
    const result = await runStep(step!.spec, 0, h.context);
    expect(result.attempts).toBe(exits.length);
    expect(result.status).toBe(exits.at(-1) === 0 ? 'succeeded' : 'failed');
    expect(h.waits).toEqual(waits);
    // Each retry starts one interval after the previous try ended.
    for (let i = 1; i < h.runs.length; i++) expect(h.runs[i]! - h.runs[i - 1]!).toBe(1_000 + waits[i - 1]!);
  });

  it('a plain step retries without waiting', async () => {
    const h = harness([1, 0]);
    const result = await runStep({ run: 'make', retries: 1, idempotent: false }, 0, h.context);
    expect(result.attempts).toBe(2);
    expect(h.waits).toEqual([]);
  });

  it('stable_for keeps checking every interval until it has passed that long', async () => {
    const [step] = gateSteps(config({ interval: '20s', stable_for: '1m' }), [{ check: 'ready' }], 'phases.test.exit');
    const h = harness([]);
    const events: string[] = [];
    const session = { actor: { name: 't', email: '' }, event: (type: string) => type, record: async (...e: string[]) => void events.push(...e) } as unknown as Session;
    const { failed } = await runSteps({ session, release: { version: '1.0.1' } as ReleaseView, ref: { phase: 'test', env: null }, steps: [step!], previous: null, decision: undefined, stepContext: h.context, gate: async () => undefined });
    expect(failed).toBeNull();
    expect(h.waits).toEqual([20_000, 20_000, 18_000]); // 1s runs: the last wait ends the minute after the first pass
    expect(h.runs).toHaveLength(4);
    expect(events).toEqual(['step.started', 'step.succeeded']);
  });

  it.each([
    ['a failure inside the window uses a retry and starts the window again', 1, [0, 1, 0, 0, 0], null, 5],
    ['with no retry left, a failure inside the window fails the check', 0, [0, 1], 1, 2],
    ['a failure before the first pass uses a retry too, so fewer are left for the window', 1, [1, 0, 1], 2, 3],
  ])('stable_for: %s', async (_what, retries, exits, failedAt, runs) => {
    const [step] = gateSteps(config({ interval: '20s', stable_for: '1m', retries }), [{ check: 'ready' }], 'phases.test.exit');
    const h = harness([...exits]);
    const recorded: Array<{ type: string; data: Record<string, unknown> }> = [];
    const session = {
      actor: { name: 't', email: '' },
      event: (type: string, _release: string, data: Record<string, unknown>) => ({ type, data }),
      record: async (...e: Array<{ type: string; data: Record<string, unknown> }>) => void recorded.push(...e),
    } as unknown as Session;
    const { failed } = await runSteps({ session, release: { version: '1.0.1' } as ReleaseView, ref: { phase: 'test', env: null }, steps: [step!], previous: null, decision: undefined, stepContext: h.context, gate: async () => undefined });
    expect(h.runs).toHaveLength(runs);
    expect(failed === null ? null : failed.result.attempts - 1).toBe(failedAt);
    // Every run is counted, with all its time: the record says how hard the check was.
    const end = recorded.at(-1)!;
    expect(end.data).toMatchObject({ attempts: runs, durationMs: runs * 1_000 });
  });
});
