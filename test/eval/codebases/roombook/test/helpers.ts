/**
 * Shared fixtures of the tests: an in-memory context with a fixed clock, a few rooms, a running
 * server, and a captured command-line I/O.
 */
import { defaultConfig } from '../src/config/defaults.ts';
import type { Config } from '../src/config/types.ts';
import type { Room } from '../src/domain/types.ts';
import { startServer } from '../src/http/server.ts';
import type { CliIo } from '../src/cli/command.ts';
import { silentLogger } from '../src/log/logger.ts';
import { addRoom } from '../src/services/room-service.ts';
import { createContext, closeContext, type AppContext } from '../src/services/context.ts';

/** "Now" in the tests: Monday 1 April 2030, 07:00 UTC, before opening time. */
export const testNow = Date.parse('2030-04-01T07:00:00Z');

/** The defaults with an in-memory database, a quiet log and a free port. */
export function testConfig(): Config {
  const config = structuredClone(defaultConfig) as Config;
  config.database.path = ':memory:';
  config.server.port = 0;
  config.log.level = 'error';
  return config;
}

/** A fresh context over an empty in-memory database. */
export function testContext(options: { now?: number; config?: Config } = {}): AppContext {
  const now = options.now ?? testNow;
  return createContext(options.config ?? testConfig(), { logger: silentLogger, now: () => now });
}

/** Adds three rooms: Aurora (4 seats), Borealis (10, projector+video), Cellar (2, floor -1). */
export function seedRooms(ctx: AppContext): { aurora: Room; borealis: Room; cellar: Room } {
  return {
    aurora: addRoom(ctx, { name: 'Aurora', capacity: 4, floor: 1, features: ['whiteboard'] }),
    borealis: addRoom(ctx, { name: 'Borealis', capacity: 10, floor: 2, features: ['projector', 'video'] }),
    cellar: addRoom(ctx, { name: 'Cellar', capacity: 2, floor: -1, features: [] }),
  };
}

/** Runs `work` against the API served over `ctx`, then stops the server and closes the context. */
export async function withServer(ctx: AppContext, work: (url: string) => Promise<void>): Promise<void> {
  const server = await startServer(ctx);
  try {
    await work(server.url);
  } finally {
    await server.close();
    closeContext(ctx);
  }
}

/** Sends a JSON request and returns the status and parsed body (`null` for an empty body). */
export async function request(url: string, method: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** A command-line I/O that records what is printed. */
export function captureIo(options: { env?: Record<string, string>; cwd?: string; now?: number } = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const now = options.now ?? testNow;
  return {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    now: () => now,
    out: () => out,
    err: () => err,
  };
}
