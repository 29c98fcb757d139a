import ical, { ICalCalendarMethod, ICalEventTransparency } from 'ical-generator';
import type { CalendarItem } from '../core/calendar-items.js';
import { formatInstant } from '../core/gates/calendar.js';

/*
 * The calendar as an iCalendar file (RFC 5545) that Google Calendar and Outlook import: every item an
 * event with UTC instants (DTSTART…Z), a stable UID (importing again updates rather than duplicates),
 * and the zone-local times in its DESCRIPTION.
 */

/** Whether a file's text is an iCalendar file (relmgr's own, or any other: both may be replaced). */
export const isICalendar = (text: string): boolean => /^\uFEFF?\s*BEGIN:VCALENDAR\r?\n/i.test(text);

/** The zone-local times of an item, and the viewer's when the viewer is elsewhere. */
export function itemDescription(item: CalendarItem, viewer: string): string {
  const times = (zone: string): string => `${formatInstant(item.start, zone)}${item.end ? ` until ${formatInstant(item.end, zone)}` : ''}`;
  const lines = [item.summary, times(item.zone)];
  // formatInstant names UTC already: a viewer in UTC needs no line of their own.
  if (viewer !== item.zone && viewer !== 'UTC') lines.push(`Your time: ${times(viewer)}`);
  return lines.join('\n');
}

export function renderIcs(items: readonly CalendarItem[], options: { project: string; now: Date; viewer: string }): string {
  const calendar = ical({
    name: `${options.project}: releases (relmgr)`,
    prodId: { company: 'relmgr', product: 'relmgr', language: 'EN' },
    // PUBLISH: a calendar to add, not invitations to answer (Outlook imports it as such).
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const item of items) {
    calendar.createEvent({
      id: item.uid,
      start: item.start,
      end: item.end ?? item.start,
      stamp: options.now,
      summary: item.summary,
      description: itemDescription(item, options.viewer),
      // A freeze or a window is not a meeting: it never shows anyone as busy.
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}
