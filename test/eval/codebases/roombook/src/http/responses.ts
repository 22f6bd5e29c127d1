/**
 * Writing JSON responses, and turning errors into status codes and a uniform error body:
 * `{ "error": { "code": "not_found", "message": "room 9 not found" } }`.
 */
import type { ServerResponse } from 'node:http';
import { AppError, ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../domain/errors.ts';

/** An error that already knows its HTTP status (bad JSON, body too large, wrong content type). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A status code and body, ready to send. */
export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Sends `body` as JSON with the given status. A `HEAD` request gets the headers only.
 */
export function sendJson(res: ServerResponse, reply: JsonReply, headOnly = false): void {
  const text = reply.status === 204 ? '' : `${JSON.stringify(reply.body, null, 2)}\n`;
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(headOnly ? undefined : text);
}

/**
 * Maps an error to its response: validation problems 400, rule violations 422, missing things
 * 404, conflicts 409, `HttpError`s their own status; anything else is an internal error (500) whose
 * details are not shown to the client.
 */
export function errorReply(error: unknown): JsonReply {
  if (error instanceof HttpError) return { status: error.status, body: errorBody(error.code, error.message) };
  if (error instanceof ValidationError) return { status: 400, body: errorBody(error.code, 'the request is not valid', error.problems) };
  if (error instanceof RuleViolationError) return { status: 422, body: errorBody(error.code, error.message, error.violations) };
  if (error instanceof NotFoundError) return { status: 404, body: errorBody(error.code, error.message) };
  if (error instanceof ConflictError) {
    return { status: 409, body: errorBody(error.code, error.message, error.conflictingIds.length ? { conflictingIds: error.conflictingIds } : undefined) };
  }
  if (error instanceof AppError) return { status: 400, body: errorBody(error.code, error.message) };
  return { status: 500, body: errorBody('internal_error', 'something went wrong; the server log has the details') };
}

/** Builds the uniform error body. */
export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
