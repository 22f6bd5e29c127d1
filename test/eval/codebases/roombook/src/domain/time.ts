/**
 * Time arithmetic for bookings. roombook works in UTC throughout: instants are epoch milliseconds
 * internally and ISO 8601 strings at the edges; a "day" is a UTC calendar day.
 */
import type { Interval } from './types.ts';

/** Milliseconds in a minute. */
export const MINUTE = 60_000;
/** Milliseconds in an hour. */
export const HOUR = 60 * MINUTE;
/** Milliseconds in a day. */
export const DAY = 24 * HOUR;

const instantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses an ISO 8601 instant with an explicit offset (`2030-04-02T09:30:00Z`,
 * `2030-04-02T11:30+02:00`). Seconds and milliseconds are optional.
 *
 * @param text The instant as written by a client.
 * @returns Epoch milliseconds, or `undefined` when the text is not such an instant or names an
 *   impossible date or time (`2030-02-30T10:00Z`, `24:00`).
 */
export function parseInstant(text: string): number | undefined {
  const m = instantPattern.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', ms = '0', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number);
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Number(ms.padEnd(3, '0')));
  return utc - offsetMinutes * MINUTE;
}

/**
 * Formats epoch milliseconds as an ISO 8601 UTC instant without milliseconds when they are zero
 * (`2030-04-02T09:30:00Z`).
 */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * Parses a calendar date `YYYY-MM-DD`.
 *
 * @returns Epoch milliseconds of that day's 00:00 UTC, or `undefined` for anything else.
 */
export function parseDate(text: string): number | undefined {
  const m = datePattern.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day);
}

/** Formats epoch milliseconds as the UTC calendar date `YYYY-MM-DD`. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Epoch milliseconds of 00:00 UTC on the day that contains `ms`. */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** Minutes since 00:00 UTC of the day that contains `ms` (0 to 1439). */
export function minuteOfDay(ms: number): number {
  return Math.floor((ms - startOfUtcDay(ms)) / MINUTE);
}

/** Whole minutes from `start` to `end` (negative when `end` comes first). */
export function minutesBetween(start: number, end: number): number {
  return Math.trunc((end - start) / MINUTE);
}

/** `ms` moved by `minutes` (which may be negative). */
export function addMinutes(ms: number, minutes: number): number {
  return ms + minutes * MINUTE;
}

/**
 * Whether two half-open intervals share any time. Intervals that only touch (one ends when the
 * other starts) do not overlap, so back-to-back bookings are allowed.
 */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Number of days in a month of the Gregorian calendar (`month` from 1 to 12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
