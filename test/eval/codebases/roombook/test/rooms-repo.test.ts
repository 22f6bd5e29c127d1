import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../src/db/database.ts';
import { migrations, schemaVersion } from '../src/db/migrations.ts';
import { allRooms, countRooms, deleteRoom, findRoomByName, getRoom, insertRoom, listRooms, updateRoom } from '../src/db/rooms-repo.ts';

const created = '2030-04-01T07:00:00Z';

test('a new database is migrated to the latest schema', () => {
  const db = openDatabase(':memory:');
  assert.equal(schemaVersion(db), migrations.at(-1)!.version);
  db.close();
});

test('insert, read, find by name in any case', () => {
  const db = openDatabase(':memory:');
  const room = insertRoom(db, { name: 'Aurora', capacity: 4, floor: 1, features: ['whiteboard', 'phone'] }, created);
  assert.deepEqual(getRoom(db, room.id), { id: room.id, name: 'Aurora', capacity: 4, floor: 1, features: ['phone', 'whiteboard'], createdAt: created });
  assert.equal(findRoomByName(db, 'aurora')?.id, room.id);
  assert.equal(getRoom(db, 999), undefined);
  assert.throws(() => insertRoom(db, { name: 'AURORA', capacity: 2, floor: 0, features: [] }, created), /UNIQUE/);
  db.close();
});

test('listing filters by capacity and feature, and pages', () => {
  const db = openDatabase(':memory:');
  insertRoom(db, { name: 'Small', capacity: 2, floor: 0, features: [] }, created);
  insertRoom(db, { name: 'Video', capacity: 8, floor: 1, features: ['video'] }, created);
  insertRoom(db, { name: 'Big', capacity: 20, floor: 1, features: ['video', 'projector'] }, created);
  assert.deepEqual(allRooms(db, { minCapacity: 5 }).map((r) => r.name), ['Big', 'Video']);
  assert.deepEqual(allRooms(db, { feature: 'projector' }).map((r) => r.name), ['Big']);
  const page = listRooms(db, {}, { page: 2, pageSize: 2 });
  assert.deepEqual(page.items.map((r) => r.name), ['Video']);
  assert.equal(page.total, 3);
  assert.equal(page.totalPages, 2);
  assert.equal(countRooms(db), 3);
  db.close();
});

test('update changes only the given fields; delete removes', () => {
  const db = openDatabase(':memory:');
  const room = insertRoom(db, { name: 'Aurora', capacity: 4, floor: 1, features: [] }, created);
  const updated = updateRoom(db, room.id, { capacity: 6, features: ['video'] });
  assert.equal(updated?.name, 'Aurora');
  assert.equal(updated?.capacity, 6);
  assert.deepEqual(updated?.features, ['video']);
  assert.equal(updateRoom(db, 999, { capacity: 1 }), undefined);
  assert.equal(deleteRoom(db, room.id), true);
  assert.equal(deleteRoom(db, room.id), false);
  db.close();
});
