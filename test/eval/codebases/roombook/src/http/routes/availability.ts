/**
 * Availability: `GET /rooms/:id/availability?date=YYYY-MM-DD` (free spans of one room) and
 * `GET /free-rooms?start=…&end=…[&attendees=N][&feature=F]` (rooms free for a span).
 */
import { ValidationError, type FieldProblem } from '../../domain/errors.ts';
import { formatDate, formatInstant, parseDate, parseInstant, startOfUtcDay } from '../../domain/time.ts';
import { findFreeRooms, freeSlots } from '../../services/availability.ts';
import type { ApiHandler } from '../handler.ts';
import type { Router } from '../router.ts';
import { parseId, parseRoomFilter } from '../validation.ts';

const roomDay: ApiHandler = (request, ctx) => {
  const roomId = parseId(request.params.id);
  const dateText = request.query.get('date');
  const day = dateText === null ? startOfUtcDay(ctx.now()) : parseDate(dateText);
  if (day === undefined) throw new ValidationError([{ field: 'date', message: 'must be a date such as 2030-04-02' }]);
  const free = freeSlots(ctx, roomId, day).map((slot) => ({ start: formatInstant(slot.start), end: formatInstant(slot.end) }));
  return { status: 200, body: { roomId, date: formatDate(day), free } };
};

const freeRooms: ApiHandler = (request, ctx) => {
  const problems: FieldProblem[] = [];
  const read = (field: 'start' | 'end') => {
    const ms = parseInstant(request.query.get(field) ?? '');
    if (ms === undefined) problems.push({ field, message: 'is required: an ISO 8601 instant such as 2030-04-02T09:30:00Z' });
    return ms;
  };
  const start = read('start');
  const end = read('end');
  const attendeesText = request.query.get('attendees');
  const attendees = attendeesText === null ? 1 : Number(attendeesText);
  if (!Number.isInteger(attendees) || attendees < 1) problems.push({ field: 'attendees', message: 'must be a whole number of at least 1' });
  if (start !== undefined && end !== undefined && end <= start) problems.push({ field: 'end', message: 'must be later than start' });
  if (problems.length > 0) throw new ValidationError(problems);
  const { feature } = parseRoomFilter(request.query);
  return { status: 200, body: { rooms: findFreeRooms(ctx, { start: start!, end: end!, attendees, feature }) } };
};

/** Adds the availability routes to `router`. */
export function registerAvailabilityRoutes(router: Router<ApiHandler>): void {
  router.add('GET', '/rooms/:id/availability', roomDay).add('GET', '/free-rooms', freeRooms);
}
