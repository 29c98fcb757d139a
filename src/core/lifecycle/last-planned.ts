import { compareEvents, type LedgerEvent } from './events.js';

/**
 * The versions of the last `count` releases planned (abandoned or not), newest first. File names do
 * not say whether a release was tested, so they cannot say which of two plans recorded at once
 * stands, nor whether abandoning the newest left an older one open: the fold of these few can.
 */
export function lastPlanned(lifecycle: readonly LedgerEvent[], count: number): string[] {
  const latest = new Set<string>();
  for (const event of [...lifecycle].sort(compareEvents)) {
    if (event.type !== 'release.planned') continue;
    // Kept in the order of each version's latest plan.
    latest.delete(event.release);
    latest.add(event.release);
  }
  return [...latest].reverse().slice(0, count);
}
