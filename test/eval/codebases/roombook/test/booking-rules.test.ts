import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../src/config/defaults.ts';
import { checkBookingRules, onSlotBoundary, withinOpeningHours } from '../src/domain/booking-rules.ts';
import { testNow } from './helpers.ts';

const rules = defaultConfig.bookings;
const at = (time: string, day = '2030-04-02') => Date.parse(`${day}T${time}:00Z`);

test('an ordinary booking passes', () => {
  assert.deepEqual(checkBookingRules({ start: at('09:00'), end: at('10:30'), attendees: 3 }, 4, rules, testNow), []);
});

test('end before start is reported alone', () => {
  assert.deepEqual(checkBookingRules({ start: at('10:00'), end: at('09:00'), attendees: 1 }, 4, rules, testNow), ['the booking must end after it starts']);
});

test('past, too far ahead, too short and too long', () => {
  assert.match(checkBookingRules({ start: at('09:00', '2030-03-29'), end: at('10:00', '2030-03-29'), attendees: 1 }, 4, rules, testNow).join(), /past/);
  assert.match(checkBookingRules({ start: at('09:00', '2030-08-01'), end: at('10:00', '2030-08-01'), attendees: 1 }, 4, rules, testNow).join(), /90 days/);
  assert.match(checkBookingRules({ start: at('09:00'), end: at('09:00') + 10 * 60_000, attendees: 1 }, 4, rules, testNow).join(), /at least 15 minutes/);
  assert.match(checkBookingRules({ start: at('08:00'), end: at('12:15'), attendees: 1 }, 4, rules, testNow).join(), /at most 240 minutes/);
});

test('opening hours: a booking may end exactly at closing time', () => {
  assert.deepEqual(checkBookingRules({ start: at('17:00'), end: at('18:00'), attendees: 1 }, 4, rules, testNow), []);
  assert.match(checkBookingRules({ start: at('17:30'), end: at('18:15'), attendees: 1 }, 4, rules, testNow).join(), /between 08:00 and 18:00/);
  assert.match(checkBookingRules({ start: at('07:45'), end: at('08:30'), attendees: 1 }, 4, rules, testNow).join(), /between 08:00 and 18:00/);
  assert.equal(withinOpeningHours(at('08:00'), at('18:00'), rules), true);
});

test('slots, days and capacity', () => {
  assert.match(checkBookingRules({ start: at('09:10'), end: at('10:00'), attendees: 1 }, 4, rules, testNow).join(), /multiples of 15/);
  assert.match(checkBookingRules({ start: at('09:00'), end: at('10:00'), attendees: 5 }, 4, rules, testNow).join(), /holds 4 people, not 5/);
  assert.match(
    checkBookingRules({ start: at('17:00'), end: at('09:00', '2030-04-03'), attendees: 1 }, 4, { ...rules, maxDurationMinutes: 1440 }, testNow).join(),
    /same day/,
  );
  assert.equal(onSlotBoundary(at('09:45'), 15), true);
  assert.equal(onSlotBoundary(at('09:45') + 1_000, 15), false);
});
