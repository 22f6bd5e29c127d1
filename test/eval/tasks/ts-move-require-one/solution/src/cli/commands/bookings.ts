/**
 * `roombook book|cancel|agenda|free`.
 */
import { bookingsForRoom } from '../../db/bookings-repo.ts';
import { ValidationError } from '../../domain/errors.ts';
import { DAY, formatDate, formatInstant, minutesBetween, parseDate, parseInstant, startOfUtcDay } from '../../domain/time.ts';
import type { Booking } from '../../domain/types.ts';
import { parseId, parseNewBooking } from '../../http/validation.ts';
import { freeSlots } from '../../services/availability.ts';
import { bookRoom, cancelBooking } from '../../services/booking-service.ts';
import { resolveRoom } from '../../services/room-service.ts';
import { requireOne } from '../args.ts';
import { printJson, type Command, type CommandEnv } from '../command.ts';
import { formatDuration, formatSpan, formatTable, truncate } from '../format.ts';

/** `book ROOM --start ISO --end ISO --title T --organizer EMAIL`: books a room. */
export const book: Command = {
  name: 'book',
  summary: 'book a room',
  usage: '<room> --start ISO --end ISO --title TEXT --organizer EMAIL [--attendees N]',
  options: {
    start: { type: 'string', short: 's', description: 'start, e.g. 2030-04-02T09:30:00Z', valueName: 'ISO' },
    end: { type: 'string', short: 'e', description: 'end, e.g. 2030-04-02T10:30:00Z', valueName: 'ISO' },
    title: { type: 'string', short: 't', description: 'what the meeting is about', valueName: 'TEXT' },
    organizer: { type: 'string', short: 'o', description: 'e-mail of the organizer (default: $ROOMBOOK_USER)', valueName: 'EMAIL' },
    attendees: { type: 'integer', short: 'n', description: 'number of people (default 1)', valueName: 'N' },
  },
  run({ io, args, json, context }) {
    const ctx = context();
    const room = resolveRoom(ctx, requireOne(args.positionals, 'room'));
    const { start, end, title, attendees } = args.options;
    const organizer = args.options.organizer ?? io.env.ROOMBOOK_USER;
    const booking = bookRoom(ctx, parseNewBooking({ roomId: room.id, start, end, title, organizer, attendees }));
    if (json) printJson(io, booking);
    else io.stdout(`Booked ${room.name} ${formatSpan(booking.start, booking.end)} (booking ${booking.id}).\n`);
    return 0;
  },
};

/** `cancel ID`: cancels a booking. */
export const cancel: Command = {
  name: 'cancel',
  summary: 'cancel a booking',
  usage: '<booking-id>',
  options: {},
  run({ io, args, json, context }) {
    const booking = cancelBooking(context(), parseId(requireOne(args.positionals, 'booking id'), 'booking id'));
    if (json) printJson(io, booking);
    else io.stdout(`Cancelled booking ${booking.id} "${booking.title}".\n`);
    return 0;
  },
};

/** `agenda ROOM [--date D] [--days N]`: a room's bookings. */
export const agenda: Command = {
  name: 'agenda',
  summary: "show a room's bookings for a day (or several)",
  usage: '<room> [--date YYYY-MM-DD] [--days N]',
  options: {
    date: { type: 'string', short: 'd', description: 'first day (default: today, UTC)', valueName: 'YYYY-MM-DD' },
    days: { type: 'integer', description: 'how many days (default 1, at most 31)', valueName: 'N' },
  },
  run(env) {
    const { io, args, json } = env;
    const ctx = env.context();
    const room = resolveRoom(ctx, requireOne(args.positionals, 'room'));
    const first = readDay(env);
    const days = Number(args.options.days ?? 1);
    if (!Number.isInteger(days) || days < 1 || days > 31) throw new ValidationError([{ field: 'days', message: 'must be between 1 and 31' }]);
    const bookings = bookingsForRoom(ctx.db, room.id, first, first + days * DAY);
    if (json) {
      printJson(io, bookings);
      return 0;
    }
    io.stdout(`${room.name}, ${formatDate(first)}${days > 1 ? ` to ${formatDate(first + (days - 1) * DAY)}` : ''}\n`);
    io.stdout(
      formatTable<Booking>(
        bookings,
        [
          { heading: 'ID', cell: (b) => String(b.id), alignRight: true },
          { heading: 'WHEN', cell: (b) => formatSpan(b.start, b.end) },
          { heading: 'LENGTH', cell: (b) => formatDuration(minutesBetween(parseInstant(b.start)!, parseInstant(b.end)!)) },
          { heading: 'TITLE', cell: (b) => truncate(b.title, 40) },
          { heading: 'ORGANIZER', cell: (b) => b.organizer },
          { heading: 'PEOPLE', cell: (b) => String(b.attendees), alignRight: true },
        ],
        'No bookings.',
      ),
    );
    return 0;
  },
};

/** `free ROOM [--date D]`: a room's free spans in a day. */
export const free: Command = {
  name: 'free',
  summary: 'show when a room is free on a day',
  usage: '<room> [--date YYYY-MM-DD]',
  options: {
    date: { type: 'string', short: 'd', description: 'the day (default: today, UTC)', valueName: 'YYYY-MM-DD' },
  },
  run(env) {
    const { io, args, json } = env;
    const ctx = env.context();
    const room = resolveRoom(ctx, requireOne(args.positionals, 'room'));
    const slots = freeSlots(ctx, room.id, readDay(env)).map((s) => ({ start: formatInstant(s.start), end: formatInstant(s.end) }));
    if (json) {
      printJson(io, slots);
      return 0;
    }
    if (slots.length === 0) io.stdout(`${room.name} is not free that day.\n`);
    for (const slot of slots) {
      io.stdout(`${formatSpan(slot.start, slot.end)}  (${formatDuration(minutesBetween(parseInstant(slot.start)!, parseInstant(slot.end)!))})\n`);
    }
    return 0;
  },
};

function readDay(env: CommandEnv): number {
  const text = env.args.options.date;
  if (text === undefined) return startOfUtcDay((env.io.now ?? Date.now)());
  const day = parseDate(String(text));
  if (day === undefined) throw new ValidationError([{ field: 'date', message: `must be a date such as 2030-04-02, got "${text}"` }]);
  return day;
}
