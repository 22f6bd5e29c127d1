import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, seedRooms, testContext, withServer } from './helpers.ts';

const slot = (start: string, end: string) => ({ start: `2030-04-02T${start}:00Z`, end: `2030-04-02T${end}:00Z` });

test('health and unknown routes', async () => {
  await withServer(testContext(), async (url) => {
    const health = await request(`${url}/health`, 'GET');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.equal((await request(`${url}/nowhere`, 'GET')).status, 404);
    const wrongMethod = await request(`${url}/health`, 'POST', {});
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');
  });
});

test('rooms: create, read, list, change, delete', async () => {
  await withServer(testContext(), async (url) => {
    const created = await request(`${url}/rooms`, 'POST', { name: 'Aurora', capacity: 6, features: ['video'] });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/rooms/${created.body.id}`);
    assert.equal((await request(`${url}/rooms`, 'POST', { name: 'aurora', capacity: 2 })).status, 409);
    assert.equal((await request(`${url}/rooms/${created.body.id}`, 'GET')).body.name, 'Aurora');
    const list = await request(`${url}/rooms?feature=video`, 'GET');
    assert.equal(list.body.total, 1);
    const patched = await request(`${url}/rooms/${created.body.id}`, 'PATCH', { capacity: 8 });
    assert.equal(patched.body.capacity, 8);
    assert.equal((await request(`${url}/rooms/${created.body.id}`, 'DELETE')).status, 204);
    assert.equal((await request(`${url}/rooms/${created.body.id}`, 'GET')).status, 404);
  });
});

test('bad input gets 400 with every problem listed', async () => {
  await withServer(testContext(), async (url) => {
    const bad = await request(`${url}/rooms`, 'POST', { capacity: -1 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_input');
    assert.deepEqual(bad.body.error.details.map((p: { field: string }) => p.field).sort(), ['capacity', 'name']);
    const notJson = await fetch(`${url}/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    assert.equal(notJson.status, 400);
    const wrongType = await fetch(`${url}/rooms`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    assert.equal(wrongType.status, 415);
    assert.equal((await request(`${url}/rooms/abc`, 'GET')).status, 400);
    assert.equal((await request(`${url}/bookings?pageSize=0`, 'GET')).status, 400);
  });
});

test('bookings: book, conflict, list, move, cancel', async () => {
  const ctx = testContext();
  const { aurora } = seedRooms(ctx);
  await withServer(ctx, async (url) => {
    const body = { roomId: aurora.id, title: 'Design review', organizer: 'ana@example.com', attendees: 3, ...slot('09:00', '10:00') };
    const booked = await request(`${url}/bookings`, 'POST', body);
    assert.equal(booked.status, 201);
    const clash = await request(`${url}/bookings`, 'POST', { ...body, ...slot('09:30', '10:30') });
    assert.equal(clash.status, 409);
    assert.deepEqual(clash.body.error.details.conflictingIds, [booked.body.id]);
    const tooMany = await request(`${url}/bookings`, 'POST', { ...body, attendees: 9, ...slot('11:00', '12:00') });
    assert.equal(tooMany.status, 422);

    const list = await request(`${url}/bookings?room=${aurora.id}`, 'GET');
    assert.equal(list.body.total, 1);
    assert.equal(list.body.items[0].title, 'Design review');

    const moved = await request(`${url}/bookings/${booked.body.id}`, 'PATCH', slot('13:00', '14:00'));
    assert.equal(moved.status, 200);
    assert.equal(moved.body.start, '2030-04-02T13:00:00Z');

    const cancelled = await request(`${url}/bookings/${booked.body.id}`, 'DELETE');
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await request(`${url}/bookings/${booked.body.id}`, 'DELETE')).status, 409);
    assert.equal((await request(`${url}/bookings?status=active`, 'GET')).body.total, 0);
  });
});

test('free rooms for a span', async () => {
  const ctx = testContext();
  const { aurora, borealis } = seedRooms(ctx);
  await withServer(ctx, async (url) => {
    await request(`${url}/bookings`, 'POST', { roomId: aurora.id, title: 'x', organizer: 'a@b.io', ...slot('09:00', '10:00') });
    const free = await request(`${url}/free-rooms?start=2030-04-02T09:00:00Z&end=2030-04-02T10:00:00Z&attendees=3`, 'GET');
    assert.deepEqual(free.body.rooms.map((r: { id: number }) => r.id), [borealis.id]);
    assert.equal((await request(`${url}/free-rooms?start=soon`, 'GET')).status, 400);
  });
});
