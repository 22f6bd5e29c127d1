import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listBookings } from '../src/db/bookings-repo.ts';
import { listRooms } from '../src/db/rooms-repo.ts';
import { startServer } from '../src/http/server.ts';
import { bookRoom } from '../src/services/booking-service.ts';
import { addRoom } from '../src/services/room-service.ts';
import { closeContext } from '../src/services/context.ts';
import { hiddenContext, send } from './support.ts';

function seed() {
  const ctx = hiddenContext();
  const rooms = ['Alder', 'Birch', 'Cedar', 'Damson', 'Elm'].map((name, i) => addRoom(ctx, { name, capacity: 4, floor: i, features: [] }));
  const hours = ['09', '10', '11', '12', '13', '14', '15'];
  for (const h of hours) bookRoom(ctx, { roomId: rooms[0].id, title: `Slot ${h}`, organizer: 'lee@example.com', attendees: 1, start: `2030-04-02T${h}:00:00Z`, end: `2030-04-02T${h}:45:00Z` });
  return { ctx, rooms, hours };
}

test('pages of bookings cover every booking once, in order', () => {
  const { ctx, hours } = seed();
  const seen: string[] = [];
  for (let page = 1; page <= 3; page++) {
    const result = listBookings(ctx.db, {}, { page, pageSize: 3 });
    assert.equal(result.total, 7);
    assert.equal(result.totalPages, 3);
    assert.equal(result.page, page);
    seen.push(...result.items.map((b) => b.title));
  }
  assert.deepEqual(seen, hours.map((h) => `Slot ${h}`));
  assert.deepEqual(listBookings(ctx.db, {}, { page: 4, pageSize: 3 }).items, []);
  closeContext(ctx);
});

test('the first page of rooms starts with the first room', () => {
  const { ctx } = seed();
  assert.deepEqual(listRooms(ctx.db, {}, { page: 1, pageSize: 2 }).items.map((r) => r.name), ['Alder', 'Birch']);
  assert.deepEqual(listRooms(ctx.db, {}, { page: 3, pageSize: 2 }).items.map((r) => r.name), ['Elm']);
  closeContext(ctx);
});

test('GET /bookings without paging parameters returns the earliest bookings', async () => {
  const { ctx } = seed();
  const server = await startServer(ctx);
  try {
    const first = await send(`${server.url}/bookings`, 'GET');
    assert.equal(first.status, 200);
    assert.equal(first.body.total, 7);
    assert.equal(first.body.items.length, 7);
    assert.equal(first.body.items[0].title, 'Slot 09');
    const second = await send(`${server.url}/bookings?page=2&pageSize=5`, 'GET');
    assert.deepEqual(second.body.items.map((b: { title: string }) => b.title), ['Slot 14', 'Slot 15']);
  } finally {
    await server.close();
    closeContext(ctx);
  }
});
