import type { Config, Gate } from '../config/schema.js';
import { parseDuration } from '../duration.js';

/** A `check` gate, resolved against `checks`: what runs, and how it is retried and held steady. */
export interface GateCheck {
  /** Where the gate sits: `phases.test.exit`. */
  where: string;
  gate: Gate;
  /** The check's name under `checks` (its step is called `check <name>`: see checkStepName). */
  name: string;
  run: string;
  timeout: string;
  retries: number;
  env?: Record<string, string>;
  cwd?: string;
  /** The wait between attempts: what a check waits for needs time. */
  intervalMs: number;
  /** How long a pass must hold (0: one pass is enough). */
  stableForMs: number;
}

export const CHECK_DEFAULTS = { interval: '10s', timeout: '5m', retries: 0, stableFor: '0s' } as const;

/** The name a check gate's step runs under (in progress, logs and the ledger). */
export const checkStepName = (name: string): string => `check ${name}`;

/**
 * The checks a list of gates runs, in order (the other kinds are evaluated by the runner, not run as steps).
 * A check name that is not under `checks` is skipped: validate reports it, and the config loader refuses such files.
 */
export function gateChecks(config: Config | null, gates: readonly Gate[] | undefined, where: string): GateCheck[] {
  const checks: GateCheck[] = [];
  for (const gate of gates ?? []) {
    if (gate.check === undefined) continue;
    const check = config?.checks[gate.check];
    if (!check) continue;
    checks.push({
      where,
      gate,
      name: gate.check,
      run: check.run,
      timeout: check.timeout ?? CHECK_DEFAULTS.timeout,
      retries: check.retries ?? CHECK_DEFAULTS.retries,
      ...(check.env !== undefined ? { env: check.env } : {}),
      ...(check.cwd !== undefined ? { cwd: check.cwd } : {}),
      intervalMs: parseDuration(check.interval ?? CHECK_DEFAULTS.interval) ?? 10_000,
      stableForMs: parseDuration(check.stable_for ?? CHECK_DEFAULTS.stableFor) ?? 0,
    });
  }
  return checks;
}
