import { Cron } from 'croner';
import { valid } from 'semver';
import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.js';

/*
 * Value types checked at load time. Each is a zod schema whose JSON Schema keeps what a JSON
 * Schema can say (a pattern, a format); the rest (a cron field out of range, an unknown time
 * zone) is checked by refinements and reported at the value's line and column.
 */

// The parser lives apart (no zod, croner or semver): the git adapter's network timeouts need it too.
export { DURATION_PATTERN, parseDuration } from '../duration.js';

export const duration = z
  .string()
  .regex(new RegExp(DURATION_PATTERN), { message: 'not a duration: use a number and a unit, like 90s, 15m, 24h or 7d' })
  .meta({ id: 'duration', examples: ['90s', '15m', '24h', '7d'] });

export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), "${expression}" has ${fields.length}`;
  try {
    new Cron(expression, { paused: true });
    return null;
  } catch (error) {
    return `invalid cron expression "${expression}": ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

export const cron = z
  .string()
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'a 5-field cron expression, e.g. "0 16 * * FRI"' });

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

export const timeZone = z
  .string()
  .superRefine((value, ctx) => {
    if (!isTimeZone(value)) ctx.addIssue({ code: 'custom', message: `unknown time zone "${value}": use an IANA name such as Europe/Berlin or UTC` });
  })
  .meta({ examples: ['UTC', 'Europe/Berlin', 'America/New_York'] });

/**
 * An address as git accepts it for an identity: something@host, without spaces or angle brackets.
 * No top-level domain is required: CI machines commit as ci@localhost or jenkins@build-07.
 */
export const IDENTITY_EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+$/;

export const email = z.string().regex(IDENTITY_EMAIL, { message: 'not an email address' }).meta({ examples: ['alice@example.com', 'ci@localhost'] });

export const regex = z.string().superRefine((value, ctx) => {
  try {
    new RegExp(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(error as Error).message}` });
  }
});

export const semverString = z
  .string()
  .superRefine((value, ctx) => {
    if (valid(value) !== value) ctx.addIssue({ code: 'custom', message: `"${value}" is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)` });
  });

export const tagTemplate = z
  .string()
  .regex(/\{version\}/, { message: 'a tag template must contain {version}, e.g. "v{version}"' })
  .refine((value) => value.indexOf('{version}') === value.lastIndexOf('{version}'), { message: 'a tag template contains {version} once' });

export const clockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { message: 'a time of day as HH:MM (24-hour), e.g. 09:00' });

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why a `YYYY-MM-DDTHH:MM[:SS]` is no moment of the calendar (`2026-02-30`, `2026-13-01`, `24:00`), or null. */
export function localDateTimeProblem(value: string): string | null {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) return null; // the pattern reports it
  const [year, month, day, hour, minute, second = 0] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as number[];
  if (month === undefined || month < 1 || month > 12) return `not a real date: ${value} has no month ${match[2] ?? ''}`;
  const y = year ?? 0;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day === undefined || day < 1 || day > days) return `not a real date: ${MONTHS[month - 1] ?? ''} ${match[1] ?? ''} has ${days} days, so ${value.slice(0, 10)} does not exist`;
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || second > 59) {
    return `not a real time: ${value.slice(11)} (hours run 00–23, minutes and seconds 00–59${hour === 24 ? '; for midnight at the end of a day, write 00:00 of the next day' : ''})`;
  }
  return null;
}

/** A local date-time in the calendar's zone: `2026-12-18T00:00` (seconds optional), a real one. */
export const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { message: 'a local date and time as YYYY-MM-DDTHH:MM, e.g. 2026-12-18T00:00' })
  .superRefine((value, ctx) => {
    const problem = localDateTimeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The same local date-time, comparable as text: seconds written out (`2026-12-18T00:00:00`). */
export const sortableDateTime = (value: string): string => (value.length === 16 ? `${value}:00` : value);

export const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** A name used as a key (groups, checks, environments, …). */
export const identifier = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: 'use letters, digits, ".", "_" and "-"' })
  .meta({ id: 'name' });
