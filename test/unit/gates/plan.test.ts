import { describe, expect, it } from 'vitest';
import type { Config, Gate } from '../../../src/core/config/schema.js';
import { parseConfig } from '../../../src/core/config/load.js';
import { checkStepName, gateChecks } from '../../../src/core/gates/plan.js';
import { gateSteps } from '../../../src/engine/phase-steps.js';

const load = (yaml: string): Config => {
  const { config, problems } = parseConfig(yaml, 'r.yaml');
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return config as Config;
};

describe('gateChecks', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['the defaults: 10s apart, 5m timeout, no retries, one pass', 'checks: { ready: { run: ./ready.sh } }', { run: './ready.sh', timeout: '5m', retries: 0, intervalMs: 10_000, stableForMs: 0 }],
    ['everything set', 'checks: { ready: { run: ./ready.sh, timeout: 2m, retries: 3, interval: 30s, stable_for: 1h30m, env: { A: b }, cwd: web } }', { run: './ready.sh', timeout: '2m', retries: 3, intervalMs: 30_000, stableForMs: 5_400_000, env: { A: 'b' }, cwd: 'web' }],
  ])('%s', (_name, yaml, expected) => {
    const gate: Gate = { check: 'ready' };
    expect(gateChecks(load(yaml), [gate], 'phases.test.exit')).toEqual([{ where: 'phases.test.exit', gate, name: 'ready', ...expected }]);
  });

  it('keeps the order of the check gates, skips unknown check names, and leaves the other kinds to the runner', () => {
    const config = load('checks: { a: { run: a }, b: { run: b } }');
    const approval: Gate = { approval: { id: 'signoff', rules: [{ from: 'x@example.com', min: 1 }], allow_self: false, allow_change: false, timeout: '72h' } };
    const checklist: Gate = { checklist: { id: 'ready', who: 'x@example.com', items: [{ id: 'a', text: 'a', required: true }] } };
    const gates: Gate[] = [{ check: 'b' }, { wait: '10m' }, { check: 'missing' }, approval, { check: 'a' }, { freeze: ['xmas', 'summer'] }, { window: 'office' }, checklist];
    expect(gateChecks(config, gates, 'phases.build.entry').map((c) => [c.name, c.run])).toEqual([['b', 'b'], ['a', 'a']]);
  });

  it('has nothing to run without a config or gates', () => {
    expect(gateChecks(null, [{ check: 'ready' }], 'phases.test.entry')).toEqual([]);
    expect(gateChecks(null, undefined, 'phases.test.entry')).toEqual([]);
  });

  it('names the step of a check "check <name>"', () => {
    expect(checkStepName('ready')).toBe('check ready');
  });

  it('holds exactly what the phase runner turns into check steps', () => {
    const config = load('checks: { a: { run: a, interval: 20s, stable_for: 1m, retries: 2 }, b: { run: b, timeout: 1m, env: { X: y }, cwd: sub } }');
    const gates: Gate[] = [{ check: 'a' }, { check: 'b' }];
    const steps = gateChecks(config, gates, 'phases.test.exit').map((c) => ({
      spec: { name: checkStepName(c.name), run: c.run, timeout: c.timeout, retries: c.retries, env: c.env, cwd: c.cwd, idempotent: true, retryDelayMs: c.intervalMs },
      check: { interval: c.intervalMs, stableFor: c.stableForMs },
    }));
    expect(steps).toEqual(gateSteps(config, gates, 'phases.test.exit'));
  });
});
