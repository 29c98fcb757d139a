import type { Distribution } from './model.js';

/** The median: the middle value, or the mean of the two middle values of an even count; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile by nearest rank: the ⌈p/100 · n⌉-th smallest value; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Median and p90 (nearest rank) of durations in seconds. */
export function distribution(values: readonly number[]): Distribution {
  return { median: median(values), p90: percentile(values, 90), count: values.length };
}

/** Seconds between two instants (RFC 3339 strings or epoch seconds), to the whole second. */
export function secondsBetween(from: string | number, to: string | number): number {
  const ms = (t: string | number): number => (typeof t === 'number' ? t * 1000 : Date.parse(t));
  return Math.round((ms(to) - ms(from)) / 1000);
}

/** A ratio kept to four decimals (0.1667), so the document reads the same on every machine. */
export const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;
