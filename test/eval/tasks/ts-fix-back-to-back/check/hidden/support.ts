/** Fixtures of the hidden checks: an in-memory roombook with a fixed clock. */
import { defaultConfig } from '../src/config/defaults.ts';
import type { Config } from '../src/config/types.ts';
import { silentLogger } from '../src/log/logger.ts';
import { createContext, type AppContext } from '../src/services/context.ts';

/** Monday 1 April 2030, 07:00 UTC. */
export const now = Date.parse('2030-04-01T07:00:00Z');

export function hiddenConfig(): Config {
  const config = structuredClone(defaultConfig) as Config;
  config.database.path = ':memory:';
  config.server.port = 0;
  config.log.level = 'error';
  return config;
}

export function hiddenContext(config: Config = hiddenConfig()): AppContext {
  return createContext(config, { logger: silentLogger, now: () => now });
}

export async function send(url: string, method: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
