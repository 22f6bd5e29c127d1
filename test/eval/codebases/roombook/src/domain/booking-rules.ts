/**
 * The house rules a booking must follow, independent of storage: it ends after it starts, lies
 * within opening hours on one day, has an allowed length, starts on a slot boundary, is not in the
 * past or too far ahead, and fits its attendees into the room.
 */
import type { Config } from '../config/types.ts';
import { DAY, minuteOfDay, minutesBetween, startOfUtcDay } from './time.ts';

/** The booking settings of the configuration. */
export type BookingRules = Config['bookings'];

/** The parts of a booking the rules look at (instants in epoch milliseconds). */
export interface RuleInput {
  start: number;
  end: number;
  attendees: number;
}

/**
 * Checks a prospective booking against the rules.
 *
 * @param input The booking's times and head count.
 * @param roomCapacity Capacity of the room asked for.
 * @param rules The `bookings` section of the configuration.
 * @param now The current time in epoch milliseconds.
 * @returns One sentence per broken rule; empty when the booking is acceptable.
 */
export function checkBookingRules(input: RuleInput, roomCapacity: number, rules: BookingRules, now: number): string[] {
  const violations: string[] = [];
  const { start, end, attendees } = input;
  if (end <= start) {
    violations.push('the booking must end after it starts');
    return violations;
  }
  if (start < now) violations.push('the booking cannot start in the past');
  if (start > now + rules.maxDaysAhead * DAY) violations.push(`bookings can be made at most ${rules.maxDaysAhead} days ahead`);

  const minutes = minutesBetween(start, end);
  if (minutes < rules.minDurationMinutes) violations.push(`a booking lasts at least ${rules.minDurationMinutes} minutes`);
  if (minutes > rules.maxDurationMinutes) violations.push(`a booking lasts at most ${rules.maxDurationMinutes} minutes`);

  if (startOfUtcDay(start) !== startOfUtcDay(end - 1)) {
    violations.push('a booking must start and end on the same day');
  } else if (!withinOpeningHours(start, end, rules)) {
    violations.push(`bookings must lie between ${hourLabel(rules.openingHour)} and ${hourLabel(rules.closingHour)} UTC`);
  }
  if (!onSlotBoundary(start, rules.slotMinutes) || !onSlotBoundary(end, rules.slotMinutes)) {
    violations.push(`bookings start and end on multiples of ${rules.slotMinutes} minutes`);
  }
  if (attendees < 1) violations.push('a booking has at least one attendee');
  if (attendees > roomCapacity) violations.push(`the room holds ${roomCapacity} people, not ${attendees}`);
  return violations;
}

/**
 * Whether [start, end) lies inside the opening hours of its day. A booking may end exactly at
 * closing time.
 */
export function withinOpeningHours(start: number, end: number, rules: Pick<BookingRules, 'openingHour' | 'closingHour'>): boolean {
  const day = startOfUtcDay(start);
  const opens = day + rules.openingHour * 60 * 60_000;
  const closes = day + rules.closingHour * 60 * 60_000;
  return start >= opens && end <= closes;
}

/** Whether `ms` falls on a whole multiple of `slotMinutes` within its hour, with no seconds. */
export function onSlotBoundary(ms: number, slotMinutes: number): boolean {
  return ms % 60_000 === 0 && minuteOfDay(ms) % slotMinutes === 0;
}

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}
