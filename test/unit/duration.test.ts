import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, timestamp } from '../../src/core/duration.js';

describe('durations', () => {
  it.each<[number, string]>([
    [-5, '0.0s'],
    [0, '0.0s'],
    [400, '0.4s'],
    [12_345, '12.3s'],
    [59_940, '59.9s'],
    [60_000, '1m'],
    [125_000, '2m5s'],
    [900_000, '15m'],
    [5_400_000, '1h30m'],
    [3_600_000 + 1_000, '1h1s'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('reads back what it writes above a minute', () => {
    for (const ms of [60_000, 125_000, 5_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it('stamps CI lines to the second, in UTC', () => {
    expect(timestamp(new Date('2026-11-21T10:00:00.123Z'))).toBe('2026-11-21T10:00:00Z');
  });
});
