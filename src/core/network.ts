import { UsageError } from '../errors.js';
import { parseDuration } from './duration.js';

/** How long git may wait on a remote (fetch, ls-remote, push). */
export interface NetworkTimeouts {
  /** Commands that change something: past it they fail (E_NETWORK_TIMEOUT). */
  timeoutMs: number;
  /** Read-only commands: past it they go on with the local ledger, with a warning. */
  readTimeoutMs: number;
}

export const DEFAULT_NETWORK_TIMEOUT = '60s';
export const DEFAULT_NETWORK_READ_TIMEOUT = '5s';
/** The environment variable that overrides `network.timeout` (a CI job with a tighter budget). */
export const NETWORK_TIMEOUT_ENV = 'RELMGR_NETWORK_TIMEOUT';

/**
 * The timeouts in force: `RELMGR_NETWORK_TIMEOUT` < the config's `network` < the defaults. The read
 * timeout never exceeds the timeout, so one short value makes every network wait short.
 */
export function networkTimeouts(config: { timeout?: string | undefined; read_timeout?: string | undefined } | undefined, envValue: string | undefined): NetworkTimeouts {
  let timeoutMs = parseDuration(config?.timeout ?? DEFAULT_NETWORK_TIMEOUT) ?? 60_000;
  if (envValue !== undefined && envValue.trim() !== '') {
    const fromEnv = parseDuration(envValue.trim());
    if (fromEnv === null || fromEnv <= 0) {
      throw new UsageError('E_USAGE', `${NETWORK_TIMEOUT_ENV}=${envValue} is not a duration`, { hint: `use a number and a unit, e.g. ${NETWORK_TIMEOUT_ENV}=30s (or unset it)` });
    }
    timeoutMs = fromEnv;
  }
  const readTimeoutMs = Math.min(parseDuration(config?.read_timeout ?? DEFAULT_NETWORK_READ_TIMEOUT) ?? 5_000, timeoutMs);
  return { timeoutMs, readTimeoutMs };
}

/** `60s`, `1m30s`, `1500ms`: a timeout as people write it in the config. */
export function formatTimeout(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60 || s % 60 !== 0) return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
  return `${s / 60}m`;
}
