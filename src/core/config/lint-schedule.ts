import type { Finding } from './finding.js';
import type { Config } from './schema.js';
import { codeFreezeName, nextTrains } from '../schedule.js';

/*
 * Trains that could mislead: one that never departs, a code freeze that shares its name with a freeze under
 * calendars.freezes (which one would a gate mean?), or one as long as the time between departures
 * (the code would always be frozen).
 */

const REFERENCE = new Date(Date.UTC(2026, 0, 1));

export function lintSchedule(config: Config, out: Finding[]): void {
  for (const [name, train] of Object.entries(config.schedule.trains)) {
    // Departures over a year or more (at most 60): none means the train never leaves.
    const one = { calendars: config.calendars, schedule: { trains: { [name]: train } } };
    const departures = nextTrains(one, REFERENCE, 60);
    if (departures.length === 0) {
      out.push({ path: ['schedule', 'trains', name, 'cron'], severity: 'error', message: `"${train.cron}" never fires: the train would never depart` });
      continue;
    }
    if (!train.code_freeze) continue;
    const path = ['schedule', 'trains', name, 'code_freeze'];
    const freeze = codeFreezeName(name);
    if (config.calendars.freezes[freeze]) {
      out.push({ path, severity: 'error', message: `calendars.freezes has a freeze named "${freeze}", the name of this train's code freeze: rename one of them` });
    }
    // The shortest time between two departures.
    const first = departures[0];
    if (!first?.codeFreezeFrom) continue;
    const lead = first.departs.getTime() - first.codeFreezeFrom.getTime();
    const gaps = departures.slice(1).map((d, i) => d.departs.getTime() - (departures[i] as typeof d).departs.getTime());
    if (gaps.length > 0 && lead >= Math.min(...gaps)) {
      out.push({ path, severity: 'error', message: `a code freeze of ${train.code_freeze} is as long as the time between two departures of "${train.cron}": the code would never be open` });
    }
  }
}
