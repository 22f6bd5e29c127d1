/**
 * Bookings: `GET /bookings`, `POST /bookings`, `GET /bookings/:id`, `PATCH /bookings/:id` (move)
 * and `DELETE /bookings/:id` (cancel; the booking is kept with status `cancelled`).
 */
import { listBookings } from '../../db/bookings-repo.ts';
import { bookRoom, cancelBooking, requireBooking, rescheduleBooking } from '../../services/booking-service.ts';
import type { ApiHandler } from '../handler.ts';
import type { Router } from '../router.ts';
import { parseBookingFilter, parseId, parseNewBooking, parsePageQuery, parseReschedule } from '../validation.ts';

const list: ApiHandler = (request, ctx) => {
  const filter = parseBookingFilter(request.query);
  const page = parsePageQuery(request.query, ctx.config.api);
  return { status: 200, body: listBookings(ctx.db, filter, page) };
};

const create: ApiHandler = async (request, ctx) => {
  const booking = bookRoom(ctx, parseNewBooking(await request.body()));
  return { status: 201, body: booking, headers: { location: `/bookings/${booking.id}` } };
};

const show: ApiHandler = (request, ctx) => ({ status: 200, body: requireBooking(ctx, parseId(request.params.id)) });

const move: ApiHandler = async (request, ctx) => {
  const id = parseId(request.params.id);
  const { start, end } = parseReschedule(await request.body());
  return { status: 200, body: rescheduleBooking(ctx, id, start, end) };
};

const cancel: ApiHandler = (request, ctx) => ({ status: 200, body: cancelBooking(ctx, parseId(request.params.id)) });

/** Adds the booking routes to `router`. */
export function registerBookingRoutes(router: Router<ApiHandler>): void {
  router
    .add('GET', '/bookings', list)
    .add('POST', '/bookings', create)
    .add('GET', '/bookings/:id', show)
    .add('PATCH', '/bookings/:id', move)
    .add('DELETE', '/bookings/:id', cancel);
}
