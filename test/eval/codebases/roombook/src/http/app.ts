/**
 * The request handler of the HTTP API: routing, body reading, error responses and access logging.
 * It knows nothing of sockets; `server.ts` puts it on a port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../services/context.ts';
import type { ApiHandler, ApiRequest } from './handler.ts';
import { readJsonBody, parseRequestUrl } from './request.ts';
import { errorBody, errorReply, sendJson, type JsonReply } from './responses.ts';
import { Router } from './router.ts';
import { registerAvailabilityRoutes } from './routes/availability.ts';
import { registerBookingRoutes } from './routes/bookings.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerRoomRoutes } from './routes/rooms.ts';

/** A Node `http` request listener. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The router with every route of the API. */
export function createRouter(): Router<ApiHandler> {
  const router = new Router<ApiHandler>();
  registerHealthRoutes(router);
  registerRoomRoutes(router);
  registerAvailabilityRoutes(router);
  registerBookingRoutes(router);
  return router;
}

/**
 * Builds the request listener for `ctx`. It never rejects: every failure becomes a JSON error
 * response, and unexpected errors are logged with their stack.
 */
export function createApp(ctx: AppContext): RequestListener {
  const router = createRouter();
  return async (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    let reply: JsonReply;
    let pathname = req.url ?? '/';
    try {
      const url = parseRequestUrl(req);
      pathname = url.pathname;
      const match = router.match(method, url.pathname);
      if (match.kind === 'not-found') {
        reply = { status: 404, body: errorBody('no_route', `no route for ${method} ${url.pathname}`) };
      } else if (match.kind === 'method-not-allowed') {
        reply = {
          status: 405,
          body: errorBody('method_not_allowed', `${url.pathname} accepts ${match.allowed.join(', ')}`),
          headers: { allow: match.allowed.join(', ') },
        };
      } else {
        reply = await match.handler(apiRequest(req, method, match.params, url.query, ctx), ctx);
      }
    } catch (error) {
      reply = errorReply(error);
      if (reply.status >= 500) ctx.logger.error('request failed', { method, path: pathname, error: (error as Error)?.stack ?? String(error) });
    }
    sendJson(res, reply, method === 'HEAD');
    ctx.logger.info('request', { method, path: pathname, status: reply.status, ms: Math.round(performance.now() - started) });
  };
}

function apiRequest(req: IncomingMessage, method: string, params: Record<string, string>, query: URLSearchParams, ctx: AppContext): ApiRequest {
  let body: Promise<unknown> | undefined;
  return {
    method,
    params,
    query,
    body: () => (body ??= readJsonBody(req, ctx.config.server.maxBodyBytes)),
  };
}
