import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as time from '../src/domain/time.ts';
import { freeSlots } from '../src/services/availability.ts';
import { bookRoom } from '../src/services/booking-service.ts';
import { addRoom } from '../src/services/room-service.ts';
import { closeContext } from '../src/services/context.ts';
import { hiddenConfig, hiddenContext } from './support.ts';

type Interval = { start: number; end: number };
const findGaps = (time as Record<string, unknown>).findGaps as (window: Interval, busy: Interval[]) => Interval[];
const iv = (start: number, end: number) => ({ start, end });

test('findGaps is exported from src/domain/time.ts', () => {
  assert.equal(typeof findGaps, 'function');
});

test('findGaps: nothing busy, everything busy, touching intervals', () => {
  assert.deepEqual(findGaps(iv(0, 100), []), [iv(0, 100)]);
  assert.deepEqual(findGaps(iv(0, 100), [iv(-5, 105)]), []);
  assert.deepEqual(findGaps(iv(0, 100), [iv(0, 10), iv(10, 20)]), [iv(20, 100)]);
  assert.deepEqual(findGaps(iv(0, 100), [iv(40, 100)]), [iv(0, 40)]);
});

test('findGaps: unsorted, overlapping, and outside the window', () => {
  assert.deepEqual(findGaps(iv(0, 100), [iv(50, 60), iv(10, 20), iv(15, 30), iv(55, 70)]), [iv(0, 10), iv(30, 50), iv(70, 100)]);
  assert.deepEqual(findGaps(iv(0, 100), [iv(-10, 5), iv(95, 120), iv(150, 200)]), [iv(5, 95)]);
  assert.deepEqual(findGaps(iv(0, 100), [iv(120, 130), iv(-30, -20)]), [iv(0, 100)]);
});

test('freeSlots behaves as before', () => {
  const config = hiddenConfig();
  config.bookings.slotMinutes = 5;
  const ctx = hiddenContext(config);
  const room = addRoom(ctx, { name: 'Loft', capacity: 4, floor: 3, features: [] });
  const book = (start: string, end: string) =>
    bookRoom(ctx, { roomId: room.id, title: 't', organizer: 'jo@example.com', attendees: 1, start: `2030-04-02T${start}:00Z`, end: `2030-04-02T${end}:00Z` });
  book('09:00', '10:00');
  book('10:10', '11:00');
  book('16:00', '18:00');
  const day = Date.parse('2030-04-02T00:00:00Z');
  const slots = freeSlots(ctx, room.id, day).map((s) => [new Date(s.start).toISOString().slice(11, 16), new Date(s.end).toISOString().slice(11, 16)]);
  assert.deepEqual(slots, [['08:00', '09:00'], ['11:00', '16:00']]);
  closeContext(ctx);
});
