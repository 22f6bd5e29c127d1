/**
 * The records roombook keeps and the shapes that travel between the HTTP API, the command line,
 * the services and the data layer. Instants are ISO 8601 strings in UTC at the edges
 * (`2030-04-02T09:30:00Z`) and epoch milliseconds inside the data layer.
 */

/** Equipment a room may have; requests naming anything else are rejected. */
export const roomFeatures = ['projector', 'whiteboard', 'video', 'phone', 'accessible'] as const;

/** One of {@link roomFeatures}. */
export type RoomFeature = (typeof roomFeatures)[number];

/** A bookable meeting room. */
export interface Room {
  id: number;
  /** Unique, case-insensitively. */
  name: string;
  /** How many people fit in. */
  capacity: number;
  floor: number;
  features: RoomFeature[];
  createdAt: string;
}

/** What it takes to create a room. */
export interface NewRoom {
  name: string;
  capacity: number;
  floor: number;
  features: RoomFeature[];
}

/** A partial update of a room; absent fields keep their value. */
export type RoomPatch = Partial<NewRoom>;

/** A booking is `active` until it is cancelled; cancelled bookings are kept for the record. */
export type BookingStatus = 'active' | 'cancelled';

/** All booking statuses, for validation. */
export const bookingStatuses: readonly BookingStatus[] = ['active', 'cancelled'];

/** A room reserved by someone for a span of time. */
export interface Booking {
  id: number;
  roomId: number;
  title: string;
  /** E-mail address of the person who made the booking. */
  organizer: string;
  attendees: number;
  start: string;
  end: string;
  status: BookingStatus;
  createdAt: string;
  cancelledAt: string | null;
}

/** What it takes to book a room (instants as ISO 8601 strings). */
export interface NewBooking {
  roomId: number;
  title: string;
  organizer: string;
  attendees: number;
  start: string;
  end: string;
}

/** Narrows a bookings listing; every field is optional and they combine with AND. */
export interface BookingFilter {
  roomId?: number;
  organizer?: string;
  status?: BookingStatus;
  /** Only bookings that end after this instant (epoch milliseconds). */
  from?: number;
  /** Only bookings that start before this instant (epoch milliseconds). */
  to?: number;
}

/** Narrows a rooms listing. */
export interface RoomFilter {
  minCapacity?: number;
  feature?: RoomFeature;
}

/** Which page of a listing to return; pages are numbered from 1. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** One page of a listing, with enough to ask for the next one. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

/** A half-open span of time [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}
