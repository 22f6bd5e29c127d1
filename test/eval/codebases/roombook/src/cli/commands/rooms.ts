/**
 * `roombook rooms list|add|change|remove`.
 */
import { allRooms } from '../../db/rooms-repo.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { Room } from '../../domain/types.ts';
import { parseNewRoom, parseRoomFilter, parseRoomPatch } from '../../http/validation.ts';
import { addRoom, changeRoom, removeRoom, resolveRoom } from '../../services/room-service.ts';
import { UsageError } from '../args.ts';
import { printJson, type Command } from '../command.ts';
import { formatTable, type Column } from '../format.ts';

const roomColumns: Column<Room>[] = [
  { heading: 'ID', cell: (r) => String(r.id), alignRight: true },
  { heading: 'NAME', cell: (r) => r.name },
  { heading: 'FLOOR', cell: (r) => String(r.floor), alignRight: true },
  { heading: 'SEATS', cell: (r) => String(r.capacity), alignRight: true },
  { heading: 'FEATURES', cell: (r) => r.features.join(', ') },
];

/** `rooms list`: every room, optionally filtered. */
export const roomsList: Command = {
  name: 'rooms list',
  summary: 'list the rooms',
  usage: '[--min-capacity N] [--feature NAME]',
  options: {
    'min-capacity': { type: 'integer', description: 'only rooms with at least N seats', valueName: 'N' },
    feature: { type: 'string', description: 'only rooms with this feature', valueName: 'NAME' },
  },
  run({ io, args, json, context }) {
    const query = new URLSearchParams();
    if (args.options['min-capacity'] !== undefined) query.set('minCapacity', String(args.options['min-capacity']));
    if (args.options.feature !== undefined) query.set('feature', String(args.options.feature));
    const rooms = allRooms(context().db, parseRoomFilter(query));
    if (json) printJson(io, rooms);
    else io.stdout(formatTable(rooms, roomColumns, 'No rooms yet. Add one with: roombook rooms add NAME --capacity N'));
    return 0;
  },
};

/** `rooms add NAME --capacity N`: adds a room. */
export const roomsAdd: Command = {
  name: 'rooms add',
  summary: 'add a room',
  usage: '<name> --capacity N [--floor N] [--feature NAME]...',
  options: {
    capacity: { type: 'integer', short: 'c', description: 'number of seats', valueName: 'N' },
    floor: { type: 'integer', description: 'floor number (default 0)', valueName: 'N' },
    feature: { type: 'list', description: `equipment: projector, whiteboard, video, phone, accessible`, valueName: 'NAME' },
  },
  run({ io, args, json, context }) {
    const name = args.positionals.join(' ').trim();
    if (!name) throw new UsageError('give the room a name: roombook rooms add NAME --capacity N');
    const room = addRoom(
      context(),
      parseNewRoom({ name, capacity: args.options.capacity, floor: args.options.floor, features: args.options.feature }),
    );
    if (json) printJson(io, room);
    else io.stdout(`Added room ${room.id} "${room.name}" (${room.capacity} seats).\n`);
    return 0;
  },
};

/** `rooms change ROOM [--name N] [--capacity N] ...`: changes a room's details. */
export const roomsChange: Command = {
  name: 'rooms change',
  summary: "change a room's details",
  usage: '<room> [--name NAME] [--capacity N] [--floor N] [--feature NAME]...',
  options: {
    name: { type: 'string', description: 'new name', valueName: 'NAME' },
    capacity: { type: 'integer', short: 'c', description: 'new number of seats', valueName: 'N' },
    floor: { type: 'integer', description: 'new floor', valueName: 'N' },
    feature: { type: 'list', description: 'replace the features with these', valueName: 'NAME' },
  },
  run({ io, args, json, context }) {
    const ctx = context();
    const room = resolveRoom(ctx, requireOne(args.positionals, 'room'));
    const { name, capacity, floor, feature } = args.options;
    const updated = changeRoom(ctx, room.id, parseRoomPatch({ name, capacity, floor, features: feature }));
    if (json) printJson(io, updated);
    else io.stdout(`Changed room ${updated.id} "${updated.name}".\n`);
    return 0;
  },
};

/** `rooms remove ROOM`: removes a room without upcoming bookings. */
export const roomsRemove: Command = {
  name: 'rooms remove',
  summary: 'remove a room (it must have no upcoming bookings)',
  usage: '<room>',
  options: {},
  run({ io, args, context }) {
    const ctx = context();
    const room = resolveRoom(ctx, requireOne(args.positionals, 'room'));
    removeRoom(ctx, room.id);
    io.stdout(`Removed room ${room.id} "${room.name}".\n`);
    return 0;
  },
};

/**
 * The single positional argument of a command.
 *
 * @throws {UsageError} when there is none or more than one.
 */
export function requireOne(positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`name the ${what}`);
  if (positionals.length > 1) throw new UsageError(`expected one ${what}, got ${positionals.length}: ${positionals.join(' ')} (quote names with spaces)`);
  const value = positionals[0].trim();
  if (!value) throw new ValidationError([{ field: what, message: 'must not be empty' }]);
  return value;
}
