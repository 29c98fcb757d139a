import { describe, expect, it } from 'vitest';
import { formatTimeout, networkTimeouts } from '../../src/core/network.js';

describe('networkTimeouts', () => {
  it.each([
    { name: 'defaults', config: undefined, env: undefined, want: { timeoutMs: 60_000, readTimeoutMs: 5_000 } },
    { name: 'the config', config: { timeout: '2m', read_timeout: '3s' }, env: undefined, want: { timeoutMs: 120_000, readTimeoutMs: 3_000 } },
    { name: 'the environment over the config', config: { timeout: '2m', read_timeout: '3s' }, env: '90s', want: { timeoutMs: 90_000, readTimeoutMs: 3_000 } },
    { name: 'an empty variable is unset', config: { timeout: '2m' }, env: ' ', want: { timeoutMs: 120_000, readTimeoutMs: 5_000 } },
    { name: 'reads never wait longer than writes', config: undefined, env: '500ms', want: { timeoutMs: 500, readTimeoutMs: 500 } },
    { name: 'a short config timeout caps the read timeout', config: { timeout: '2s' }, env: undefined, want: { timeoutMs: 2_000, readTimeoutMs: 2_000 } },
  ])('$name', ({ config, env, want }) => {
    expect(networkTimeouts(config, env)).toEqual(want);
  });

  it.each(['soon', '10', '0s', '-5s'])('rejects RELMGR_NETWORK_TIMEOUT=%s (exit 2)', (value) => {
    expect(() => networkTimeouts(undefined, value)).toThrow(expect.objectContaining({ code: 'E_USAGE', exitCode: 2, message: expect.stringContaining('RELMGR_NETWORK_TIMEOUT') }));
  });
});

describe('formatTimeout', () => {
  it.each([
    [500, '500ms'],
    [1500, '1500ms'],
    [5_000, '5s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [3_600_000, '60m'],
  ])('%d → %s', (ms, text) => {
    expect(formatTimeout(ms)).toBe(text);
  });
});
