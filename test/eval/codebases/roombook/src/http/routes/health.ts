/**
 * `GET /health`: whether the service is up and its database answers.
 */
import { countRooms } from '../../db/rooms-repo.ts';
import { schemaVersion } from '../../db/migrations.ts';
import type { ApiHandler } from '../handler.ts';
import type { Router } from '../router.ts';

const health: ApiHandler = (_request, ctx) => ({
  status: 200,
  body: { status: 'ok', schemaVersion: schemaVersion(ctx.db), rooms: countRooms(ctx.db) },
});

/** Adds the health route to `router`. */
export function registerHealthRoutes(router: Router<ApiHandler>): void {
  router.add('GET', '/health', health);
}
