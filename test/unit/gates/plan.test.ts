import { describe, expect, it } from 'vitest';
import type { Config, Gate } from '../../../src/core/config/schema.js';
import { parseConfig } from '../../../src/core/config/load.js';
import { checkStepName, gateChecks, unsupportedGatesError } from '../../../src/core/gates/plan.js';
import { RelmgrError } from '../../../src/errors.js';
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
    expect(gateChecks(load(yaml), [gate], 'phases.test.exit')).toEqual({ checks: [{ where: 'phases.test.exit', gate, name: 'ready', ...expected }], unsupported: [] });
  });

  it('keeps the order of the check gates, skips unknown check names, and leaves the other kinds to the runner', () => {
    const config = load('checks: { a: { run: a }, b: { run: b } }');
    const approval: Gate = { approval: { id: 'signoff', rules: [{ from: 'x@example.com', min: 1 }], allow_self: false, allow_change: false, timeout: '72h' } };
    const checklist: Gate = { checklist: { id: 'ready', who: 'x@example.com', items: [{ id: 'a', text: 'a', required: true }] } };
    const gates: Gate[] = [{ check: 'b' }, { wait: '10m' }, { check: 'missing' }, approval, { check: 'a' }, { freeze: ['xmas', 'summer'] }, { window: 'office' }, checklist];
    const { checks, unsupported } = gateChecks(config, gates, 'phases.build.entry');
    expect(checks.map((c) => [c.name, c.run])).toEqual([['b', 'b'], ['a', 'a']]);
    expect(unsupported).toEqual([]);
  });

  it('lists only a gate of no known kind (a config the loader refuses) as unsupported', () => {
    expect(gateChecks(null, [{} as Gate, { wait: '1m' }], 'phases.build.entry').unsupported).toEqual(['phases.build.entry: a gate of no known kind']);
  });

  it('has nothing to run without a config or gates', () => {
    expect(gateChecks(null, [{ check: 'ready' }], 'phases.test.entry')).toEqual({ checks: [], unsupported: [] });
    expect(gateChecks(null, undefined, 'phases.test.entry')).toEqual({ checks: [], unsupported: [] });
  });

  it('names the step of a check "check <name>"', () => {
    expect(checkStepName('ready')).toBe('check ready');
  });

  it('refuses unsupported gates with E_GATE_UNSUPPORTED, listing each', () => {
    const error = unsupportedGatesError(['phases.test.exit: a gate of no known kind']);
    expect(error).toBeInstanceOf(RelmgrError);
    expect({ code: error.code, exitCode: error.exitCode, message: error.message, details: error.details, hint: error.hint }).toEqual({
      code: 'E_GATE_UNSUPPORTED',
      exitCode: 3,
      message: 'this release passes gates relmgr cannot evaluate:',
      details: ['phases.test.exit: a gate of no known kind'],
      hint: 'fix the gates in release.config.yaml (relmgr validate lists the problems)',
    });
  });

  it('holds exactly what the phase runner turns into check steps', () => {
    const config = load('checks: { a: { run: a, interval: 20s, stable_for: 1m, retries: 2 }, b: { run: b, timeout: 1m, env: { X: y }, cwd: sub } }');
    const gates: Gate[] = [{ check: 'a' }, { check: 'b' }];
    const steps = gateChecks(config, gates, 'phases.test.exit').checks.map((c) => ({
      spec: { name: checkStepName(c.name), run: c.run, timeout: c.timeout, retries: c.retries, env: c.env, cwd: c.cwd, idempotent: true, retryDelayMs: c.intervalMs },
      check: { interval: c.intervalMs, stableFor: c.stableForMs },
    }));
    expect(steps).toEqual(gateSteps(config, gates, 'phases.test.exit'));
  });

  it('refuses the same gates as the phase runner, with the same lines', () => {
    const config = load('checks: { a: { run: a } }');
    const gates: Gate[] = [{ check: 'a' }, { wait: '10m' }, {} as Gate];
    const expected = unsupportedGatesError(gateChecks(config, gates, 'phases.plan.exit').unsupported);
    expect(() => gateSteps(config, gates, 'phases.plan.exit')).toThrow(expect.objectContaining({ code: expected.code, message: expected.message, details: expected.details, hint: expected.hint }));
  });
});
