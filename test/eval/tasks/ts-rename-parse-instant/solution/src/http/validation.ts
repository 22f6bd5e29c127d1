/**
 * Checks request bodies and query strings and turns them into the typed inputs of the services.
 * Every function collects all problems before throwing, so a client sees everything wrong at once.
 */
import type { Config } from '../config/types.ts';
import { ValidationError, type FieldProblem } from '../domain/errors.ts';
import { parseTimestamp } from '../domain/time.ts';
import {
  bookingStatuses,
  roomFeatures,
  type BookingFilter,
  type BookingStatus,
  type NewBooking,
  type NewRoom,
  type PageRequest,
  type RoomFeature,
  type RoomFilter,
  type RoomPatch,
} from '../domain/types.ts';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Limits of one integer field. */
export interface IntegerRule {
  min: number;
  max: number;
}

/**
 * Reads typed fields out of an untrusted object, recording a problem for each bad one. Getters
 * return `undefined` for a missing or bad field; call {@link FieldReader.done} at the end.
 */
export class FieldReader {
  readonly problems: FieldProblem[] = [];
  private readonly source: Record<string, unknown>;

  constructor(source: Record<string, unknown>) {
    this.source = source;
  }

  /** Whether the field is present (even if `null`). */
  has(field: string): boolean {
    return this.source[field] !== undefined;
  }

  /** A trimmed, non-empty string of at most `maxLength` characters. */
  string(field: string, options: { required: boolean; maxLength: number }): string | undefined {
    const value = this.source[field];
    if (value === undefined) return this.missing(field, options.required);
    if (typeof value !== 'string') return this.problem(field, 'must be a string');
    const text = value.trim();
    if (text === '') return this.problem(field, 'must not be empty');
    if (text.length > options.maxLength) return this.problem(field, `must be at most ${options.maxLength} characters`);
    return text;
  }

  /** A whole number within `rule`. */
  integer(field: string, options: { required: boolean } & IntegerRule): number | undefined {
    const value = this.source[field];
    if (value === undefined) return this.missing(field, options.required);
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.problem(field, 'must be a whole number');
    if (value < options.min || value > options.max) return this.problem(field, `must be between ${options.min} and ${options.max}`);
    return value;
  }

  /** An e-mail address, lower-cased. */
  email(field: string, options: { required: boolean }): string | undefined {
    const text = this.string(field, { required: options.required, maxLength: 254 });
    if (text === undefined) return undefined;
    if (!emailPattern.test(text)) return this.problem(field, 'must be an e-mail address');
    return text.toLowerCase();
  }

  /** An ISO 8601 instant with an offset, returned as written (trimmed). */
  instant(field: string, options: { required: boolean }): string | undefined {
    const text = this.string(field, { required: options.required, maxLength: 40 });
    if (text === undefined) return undefined;
    if (parseTimestamp(text) === undefined) return this.problem(field, 'must be an ISO 8601 instant such as 2030-04-02T09:30:00Z');
    return text;
  }

  /** A list of known room features, without duplicates. */
  features(field: string, options: { required: boolean }): RoomFeature[] | undefined {
    const value = this.source[field];
    if (value === undefined) return this.missing(field, options.required);
    if (!Array.isArray(value)) return this.problem(field, 'must be a list');
    const unknown = value.filter((f) => typeof f !== 'string' || !(roomFeatures as readonly string[]).includes(f));
    if (unknown.length > 0) return this.problem(field, `unknown feature(s) ${unknown.map((f) => JSON.stringify(f)).join(', ')}; known: ${roomFeatures.join(', ')}`);
    return [...new Set(value as RoomFeature[])];
  }

  /** Records a problem for every field not in `known` (usually a typo). */
  rejectUnknown(known: readonly string[]): void {
    for (const field of Object.keys(this.source)) {
      if (!known.includes(field)) this.problems.push({ field, message: `unknown field (expected one of ${known.join(', ')})` });
    }
  }

  /** Throws a {@link ValidationError} with every problem recorded, if there is any. */
  done(): void {
    if (this.problems.length > 0) throw new ValidationError(this.problems);
  }

  private missing(field: string, required: boolean): undefined {
    if (required) this.problems.push({ field, message: 'is required' });
    return undefined;
  }

  private problem(field: string, message: string): undefined {
    this.problems.push({ field, message });
    return undefined;
  }
}

/** Limits on room fields, shared by creation and updates. */
export const roomLimits = {
  name: 60,
  capacity: { min: 1, max: 500 },
  floor: { min: -5, max: 200 },
} as const;

/**
 * Validates the body of `POST /rooms`.
 *
 * @throws {ValidationError} listing every bad field.
 */
export function parseNewRoom(body: unknown): NewRoom {
  const reader = new FieldReader(asObject(body));
  reader.rejectUnknown(['name', 'capacity', 'floor', 'features']);
  const name = reader.string('name', { required: true, maxLength: roomLimits.name });
  const capacity = reader.integer('capacity', { required: true, ...roomLimits.capacity });
  const floor = reader.integer('floor', { required: false, ...roomLimits.floor }) ?? 0;
  const features = reader.features('features', { required: false }) ?? [];
  reader.done();
  return { name: name!, capacity: capacity!, floor, features };
}

/**
 * Validates the body of `PATCH /rooms/:id`: any subset of the room's fields, at least one.
 *
 * @throws {ValidationError} listing every bad field.
 */
export function parseRoomPatch(body: unknown): RoomPatch {
  const reader = new FieldReader(asObject(body));
  reader.rejectUnknown(['name', 'capacity', 'floor', 'features']);
  const patch: RoomPatch = {
    name: reader.string('name', { required: false, maxLength: roomLimits.name }),
    capacity: reader.integer('capacity', { required: false, ...roomLimits.capacity }),
    floor: reader.integer('floor', { required: false, ...roomLimits.floor }),
    features: reader.features('features', { required: false }),
  };
  if (reader.problems.length === 0 && Object.values(patch).every((v) => v === undefined)) {
    reader.problems.push({ field: '(body)', message: 'give at least one of name, capacity, floor, features' });
  }
  reader.done();
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as RoomPatch;
}

/**
 * Validates the body of `POST /bookings`. `attendees` defaults to 1.
 *
 * @throws {ValidationError} listing every bad field.
 */
export function parseNewBooking(body: unknown): NewBooking {
  const reader = new FieldReader(asObject(body));
  reader.rejectUnknown(['roomId', 'title', 'organizer', 'attendees', 'start', 'end']);
  const roomId = reader.integer('roomId', { required: true, min: 1, max: Number.MAX_SAFE_INTEGER });
  const title = reader.string('title', { required: true, maxLength: 120 });
  const organizer = reader.email('organizer', { required: true });
  const attendees = reader.integer('attendees', { required: false, min: 1, max: 500 }) ?? 1;
  const start = reader.instant('start', { required: true });
  const end = reader.instant('end', { required: true });
  reader.done();
  return { roomId: roomId!, title: title!, organizer: organizer!, attendees, start: start!, end: end! };
}

/**
 * Validates the body of `PATCH /bookings/:id` (moving a booking): both `start` and `end`.
 *
 * @throws {ValidationError} listing every bad field.
 */
export function parseReschedule(body: unknown): { start: string; end: string } {
  const reader = new FieldReader(asObject(body));
  reader.rejectUnknown(['start', 'end']);
  const start = reader.instant('start', { required: true });
  const end = reader.instant('end', { required: true });
  reader.done();
  return { start: start!, end: end! };
}

/**
 * Reads `page` and `pageSize` from a query string. Missing values take `page=1` and the configured
 * default page size.
 *
 * @throws {ValidationError} when either is not a whole number in range.
 */
export function parsePageQuery(query: URLSearchParams, api: Config['api']): PageRequest {
  const problems: FieldProblem[] = [];
  const page = queryInteger(query, 'page', { min: 1, max: 1_000_000 }, problems) ?? 1;
  const pageSize = queryInteger(query, 'pageSize', { min: 1, max: api.maxPageSize }, problems) ?? api.defaultPageSize;
  if (problems.length > 0) throw new ValidationError(problems);
  return { page, pageSize };
}

/**
 * Reads the filters of `GET /bookings`: `room`, `organizer`, `status`, `from`, `to`.
 *
 * @throws {ValidationError} listing every bad parameter.
 */
export function parseBookingFilter(query: URLSearchParams): BookingFilter {
  const problems: FieldProblem[] = [];
  const filter: BookingFilter = {};
  const room = queryInteger(query, 'room', { min: 1, max: Number.MAX_SAFE_INTEGER }, problems);
  if (room !== undefined) filter.roomId = room;
  const organizer = query.get('organizer')?.trim();
  if (organizer) filter.organizer = organizer;
  const status = query.get('status');
  if (status !== null) {
    if ((bookingStatuses as readonly string[]).includes(status)) filter.status = status as BookingStatus;
    else problems.push({ field: 'status', message: `must be one of ${bookingStatuses.join(', ')}` });
  }
  for (const field of ['from', 'to'] as const) {
    const text = query.get(field);
    if (text === null) continue;
    const ms = parseTimestamp(text);
    if (ms === undefined) problems.push({ field, message: 'must be an ISO 8601 instant such as 2030-04-02T09:30:00Z' });
    else filter[field] = ms;
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    problems.push({ field: 'to', message: 'must be later than from' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return filter;
}

/**
 * Reads the filters of `GET /rooms`: `minCapacity` and `feature`.
 *
 * @throws {ValidationError} listing every bad parameter.
 */
export function parseRoomFilter(query: URLSearchParams): RoomFilter {
  const problems: FieldProblem[] = [];
  const filter: RoomFilter = {};
  const minCapacity = queryInteger(query, 'minCapacity', roomLimits.capacity, problems);
  if (minCapacity !== undefined) filter.minCapacity = minCapacity;
  const feature = query.get('feature');
  if (feature !== null) {
    if ((roomFeatures as readonly string[]).includes(feature)) filter.feature = feature as RoomFeature;
    else problems.push({ field: 'feature', message: `must be one of ${roomFeatures.join(', ')}` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return filter;
}

/**
 * Reads a numeric id from a path parameter.
 *
 * @throws {ValidationError} when it is not a positive whole number.
 */
export function parseId(value: string | undefined, field = 'id'): number {
  if (value === undefined || !/^\d{1,15}$/.test(value) || Number(value) < 1) {
    throw new ValidationError([{ field, message: 'must be a positive whole number' }]);
  }
  return Number(value);
}

function queryInteger(query: URLSearchParams, field: string, rule: IntegerRule, problems: FieldProblem[]): number | undefined {
  const text = query.get(field);
  if (text === null || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) {
    problems.push({ field, message: 'must be a whole number' });
    return undefined;
  }
  const value = Number(text);
  if (value < rule.min || value > rule.max) {
    problems.push({ field, message: `must be between ${rule.min} and ${rule.max}` });
    return undefined;
  }
  return value;
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError([{ field: '(body)', message: 'must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}
