/**
 * Rooms: `GET /rooms`, `POST /rooms`, `GET /rooms/:id`, `PATCH /rooms/:id`, `DELETE /rooms/:id`.
 */
import { listRooms } from '../../db/rooms-repo.ts';
import { addRoom, changeRoom, removeRoom, requireRoom } from '../../services/room-service.ts';
import type { ApiHandler } from '../handler.ts';
import type { Router } from '../router.ts';
import { parseId, parseNewRoom, parsePageQuery, parseRoomFilter, parseRoomPatch } from '../validation.ts';

const list: ApiHandler = (request, ctx) => {
  const filter = parseRoomFilter(request.query);
  const page = parsePageQuery(request.query, ctx.config.api);
  return { status: 200, body: listRooms(ctx.db, filter, page) };
};

const create: ApiHandler = async (request, ctx) => {
  const room = addRoom(ctx, parseNewRoom(await request.body()));
  return { status: 201, body: room, headers: { location: `/rooms/${room.id}` } };
};

const show: ApiHandler = (request, ctx) => ({ status: 200, body: requireRoom(ctx, parseId(request.params.id)) });

const update: ApiHandler = async (request, ctx) => {
  const id = parseId(request.params.id);
  return { status: 200, body: changeRoom(ctx, id, parseRoomPatch(await request.body())) };
};

const remove: ApiHandler = (request, ctx) => {
  removeRoom(ctx, parseId(request.params.id));
  return { status: 204, body: null };
};

/** Adds the room routes to `router`. */
export function registerRoomRoutes(router: Router<ApiHandler>): void {
  router
    .add('GET', '/rooms', list)
    .add('POST', '/rooms', create)
    .add('GET', '/rooms/:id', show)
    .add('PATCH', '/rooms/:id', update)
    .add('DELETE', '/rooms/:id', remove);
}
