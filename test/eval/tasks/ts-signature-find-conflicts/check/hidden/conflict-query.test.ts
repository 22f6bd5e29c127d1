import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../src/db/database.ts';
import * as repo from '../src/db/bookings-repo.ts';
import { insertRoom } from '../src/db/rooms-repo.ts';

type Query = { roomId: number; start: number; end: number; excludeId?: number };
const findConflicts = repo.findConflicts as unknown as (db: unknown, query: Query) => { id: number }[];
const at = (hhmm: string) => Date.parse(`2030-05-06T${hhmm}:00Z`);

test('findConflicts takes the database and one query object', () => {
  assert.equal(findConflicts.length, 2);
  const db = openDatabase(':memory:');
  const room = insertRoom(db, { name: 'Nook', capacity: 2, floor: 0, features: [] }, '2030-05-01T00:00:00Z');
  const other = insertRoom(db, { name: 'Hall', capacity: 40, floor: 0, features: [] }, '2030-05-01T00:00:00Z');
  const record = (roomId: number, start: string, end: string) => ({ roomId, title: 'x', organizer: 'a@b.io', attendees: 1, start: at(start), end: at(end) });
  const a = repo.insertBooking(db, record(room.id, '09:00', '10:00'), '2030-05-01T00:00:00Z');
  const b = repo.insertBooking(db, record(room.id, '10:30', '11:00'), '2030-05-01T00:00:00Z');
  repo.insertBooking(db, record(other.id, '09:00', '12:00'), '2030-05-01T00:00:00Z');
  assert.deepEqual(findConflicts(db, { roomId: room.id, start: at('09:30'), end: at('10:45') }).map((x) => x.id), [a.id, b.id]);
  assert.deepEqual(findConflicts(db, { roomId: room.id, start: at('09:30'), end: at('10:45'), excludeId: a.id }).map((x) => x.id), [b.id]);
  assert.deepEqual(findConflicts(db, { roomId: room.id, start: at('10:00'), end: at('10:30') }), []);
  assert.deepEqual(repo.bookingsForRoom(db, room.id, at('00:00'), at('23:59')).map((x) => x.id), [a.id, b.id]);
  db.close();
});
