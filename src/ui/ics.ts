import ical, { ICalCalendarMethod, ICalEventTransparency } from 'ical-generator';
import type { CalendarItem } from '../core/calendar-items.js';
import { formatInstant } from '../core/gates/calendar.js';

/*
 * The calendar as an iCalendar file (RFC 5545) that Google Calendar and Outlook import: every item an
 * event with UTC instants (DTSTART…Z), a stable UID (importing again updates rather than duplicates),
 * and the calendar zone's local times (and UTC) in its DESCRIPTION: never the zone of whoever wrote the
 * file (a shared file is the same whoever ran it; calendar apps show each viewer their own zone).
 * An instant (a train's departure, a target) has no DTEND: RFC 5545 wants DTEND later than DTSTART.
 */

/** The PRODID relmgr writes: ical-generator's `-//<company>//<product>//<language>`. */
const PRODID = { company: 'relmgr', product: 'relmgr', language: 'EN' } as const;
const OUR_PRODID = /^PRODID:-\/\/relmgr\/\/relmgr\/\/[A-Z]+\r?$/m;

/** Whether a file's text is an iCalendar file. */
export const isICalendar = (text: string): boolean => /^\uFEFF?\s*BEGIN:VCALENDAR\r?\n/i.test(text);

/** The PRODID of an iCalendar file that is not relmgr's (`-//Google Inc//Google Calendar 70.9054//EN`), or null when it is relmgr's. */
export function foreignProdId(text: string): string | null {
  if (OUR_PRODID.test(text)) return null;
  return /^PRODID:(.*?)\r?$/m.exec(text)?.[1] ?? '(none)';
}

/** An item's times in the calendar's zone (formatInstant adds UTC). */
export function itemDescription(item: CalendarItem): string {
  return [item.summary, `${formatInstant(item.start, item.zone)}${item.end ? ` until ${formatInstant(item.end, item.zone)}` : ''}`].join('\n');
}

export function renderIcs(items: readonly CalendarItem[], options: { project: string; now: Date }): string {
  const calendar = ical({
    name: `${options.project}: releases (relmgr)`,
    prodId: PRODID,
    // PUBLISH: a calendar to add, not invitations to answer (Outlook imports it as such).
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const item of items) {
    calendar.createEvent({
      id: item.uid,
      start: item.start,
      ...(item.end ? { end: item.end } : {}),
      stamp: options.now,
      summary: item.summary,
      description: itemDescription(item),
      // A freeze or a window is not a meeting: it never shows anyone as busy.
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  // Every content line ends with CRLF, the last (END:VCALENDAR) too.
  return `${calendar.toString().replace(/\r?\n?$/, '')}\r\n`;
}
