/**
 * The contract between the HTTP plumbing (`app.ts`) and the route modules: a handler gets the
 * parsed request and the services' context and returns a status and a JSON body.
 */
import type { AppContext } from '../services/context.ts';
import type { JsonReply } from './responses.ts';
import type { RouteParams } from './router.ts';

/** A request as route handlers see it. */
export interface ApiRequest {
  method: string;
  /** Values of the route's `:name` segments. */
  params: RouteParams;
  query: URLSearchParams;
  /** Reads and parses the JSON body (at most once; later calls return the same value). */
  body(): Promise<unknown>;
}

/** Handles one route. Thrown errors become error responses (see `errorReply`). */
export type ApiHandler = (request: ApiRequest, ctx: AppContext) => JsonReply | Promise<JsonReply>;
