import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysInMonth, formatDate, formatInstant, minuteOfDay, overlaps, parseDate, parseInstant, startOfUtcDay } from '../src/domain/time.ts';

test('parseInstant reads UTC and offset instants', () => {
  assert.equal(parseInstant('2030-04-02T09:30:00Z'), Date.UTC(2030, 3, 2, 9, 30));
  assert.equal(parseInstant('2030-04-02T09:30Z'), Date.UTC(2030, 3, 2, 9, 30));
  assert.equal(parseInstant('2030-04-02T11:30:00+02:00'), Date.UTC(2030, 3, 2, 9, 30));
  assert.equal(parseInstant('2030-04-02T04:00:00-05:30'), Date.UTC(2030, 3, 2, 9, 30));
  assert.equal(parseInstant('2030-04-02T09:30:15.5Z'), Date.UTC(2030, 3, 2, 9, 30, 15, 500));
});

test('parseInstant rejects local times and impossible dates', () => {
  for (const text of ['2030-04-02T09:30:00', '2030-02-30T10:00Z', '2030-04-02T24:00Z', '2030-13-01T10:00Z', 'tomorrow', '', '2030-04-02 09:30Z']) {
    assert.equal(parseInstant(text), undefined, text);
  }
});

test('formatInstant drops zero milliseconds', () => {
  assert.equal(formatInstant(Date.UTC(2030, 3, 2, 9, 30)), '2030-04-02T09:30:00Z');
  assert.equal(formatInstant(Date.UTC(2030, 3, 2, 9, 30, 0, 250)), '2030-04-02T09:30:00.250Z');
});

test('dates and days', () => {
  assert.equal(parseDate('2030-04-02'), Date.UTC(2030, 3, 2));
  assert.equal(parseDate('2030-02-29'), undefined);
  assert.equal(parseDate('2032-02-29'), Date.UTC(2032, 1, 29));
  assert.equal(formatDate(Date.UTC(2030, 3, 2, 23, 59)), '2030-04-02');
  assert.equal(startOfUtcDay(Date.UTC(2030, 3, 2, 13, 5)), Date.UTC(2030, 3, 2));
  assert.equal(minuteOfDay(Date.UTC(2030, 3, 2, 13, 5)), 13 * 60 + 5);
  assert.equal(daysInMonth(2030, 2), 28);
  assert.equal(daysInMonth(2030, 12), 31);
});

test('overlaps treats touching intervals as free', () => {
  assert.equal(overlaps({ start: 0, end: 10 }, { start: 5, end: 15 }), true);
  assert.equal(overlaps({ start: 0, end: 10 }, { start: 10, end: 20 }), false);
  assert.equal(overlaps({ start: 10, end: 20 }, { start: 0, end: 10 }), false);
  assert.equal(overlaps({ start: 0, end: 30 }, { start: 10, end: 20 }), true);
});
