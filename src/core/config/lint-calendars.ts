import { Cron } from 'croner';
import type { Finding } from './finding.js';
import type { PathSegment } from './problems.js';
import type { Config } from './schema.js';
import { sortableDateTime } from './values.js';

/*
 * Calendars that could silently do nothing: a freeze that is never active, a window that never
 * opens. Plain text and croner arithmetic, no zones: both ends are in the same zone as written.
 */

const REFERENCE = new Date(Date.UTC(2026, 0, 1));

/** Whether two cron expressions fire at the same moments (`0 8 * * 1` and `0 8 * * MON`). */
function sameSchedule(a: string, b: string): boolean {
  const norm = (e: string): string => e.trim().toLowerCase().split(/\s+/).join(' ');
  if (norm(a) === norm(b)) return true;
  try {
    const runs = (e: string): string[] => new Cron(e, { timezone: 'UTC', paused: true }).nextRuns(16, REFERENCE).map((d) => d.toISOString());
    return runs(a).join() === runs(b).join();
  } catch {
    return false;
  }
}

export function lintCalendars(calendars: Config['calendars'], out: Finding[]): void {
  for (const [name, freeze] of Object.entries(calendars.freezes)) {
    const path: PathSegment[] = ['calendars', 'freezes', name];
    if ('from' in freeze) {
      if (sortableDateTime(freeze.from) >= sortableDateTime(freeze.to)) {
        const when = freeze.from === freeze.to ? `at the moment it starts (${freeze.to})` : `(${freeze.to}) before it starts (${freeze.from})`;
        out.push({ path: [...path, 'to'], severity: 'error', message: `freeze "${name}" ends ${when}: it would never be active` });
      }
    } else if (sameSchedule(freeze.start, freeze.end)) {
      out.push({
        path: [...path, 'end'],
        severity: 'error',
        message: `freeze "${name}" starts and ends at the same moments ("${freeze.end}"): relmgr would read it as never active; give end the schedule that lifts the freeze`,
      });
    }
  }
  for (const [name, window] of Object.entries(calendars.windows)) {
    if (window.from === window.to) {
      out.push({
        path: ['calendars', 'windows', name, 'to'],
        severity: 'error',
        message: `window "${name}" closes at the time it opens (${window.to}): never open, or open all day? For whole days write from: "00:00", to: "23:59"`,
      });
    }
  }
}
