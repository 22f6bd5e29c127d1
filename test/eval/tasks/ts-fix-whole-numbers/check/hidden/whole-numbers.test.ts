import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../src/http/server.ts';
import { addRoom } from '../src/services/room-service.ts';
import { closeContext } from '../src/services/context.ts';
import { hiddenContext, send } from './support.ts';

async function withApi(work: (url: string, roomId: number) => Promise<void>) {
  const ctx = hiddenContext();
  const room = addRoom(ctx, { name: 'Quartz', capacity: 8, floor: 1, features: [] });
  const server = await startServer(ctx);
  try {
    await work(server.url, room.id);
  } finally {
    await server.close();
    closeContext(ctx);
  }
}

const fields = (body: any) => (body?.error?.details ?? []).map((p: { field: string }) => p.field).sort();

test('rooms with fractional numbers are refused', async () => {
  await withApi(async (url, roomId) => {
    let r = await send(`${url}/rooms`, 'POST', { name: 'Half', capacity: 7.5 });
    assert.equal(r.status, 400);
    assert.deepEqual(fields(r.body), ['capacity']);
    r = await send(`${url}/rooms`, 'POST', { name: 'Mezzanine', capacity: 4, floor: 1.5 });
    assert.equal(r.status, 400);
    assert.deepEqual(fields(r.body), ['floor']);
    r = await send(`${url}/rooms/${roomId}`, 'PATCH', { capacity: 3.25 });
    assert.equal(r.status, 400);
    assert.equal((await send(`${url}/rooms/${roomId}`, 'GET')).body.capacity, 8);
    assert.equal((await send(`${url}/rooms`, 'POST', { name: 'Whole', capacity: 7, floor: -1 })).status, 201);
  });
});

test('bookings with fractional numbers are refused', async () => {
  await withApi(async (url, roomId) => {
    const good = { roomId, title: 'Review', organizer: 'sam@example.com', start: '2030-04-02T09:00:00Z', end: '2030-04-02T10:00:00Z' };
    let r = await send(`${url}/bookings`, 'POST', { ...good, attendees: 2.5 });
    assert.equal(r.status, 400);
    assert.deepEqual(fields(r.body), ['attendees']);
    r = await send(`${url}/bookings`, 'POST', { ...good, roomId: roomId + 0.5 });
    assert.equal(r.status, 400);
    assert.deepEqual(fields(r.body), ['roomId']);
    r = await send(`${url}/bookings`, 'POST', { ...good, attendees: 3 });
    assert.equal(r.status, 201);
    assert.equal(r.body.attendees, 3);
  });
});
