import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DeepPartial, LoadedConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';

/**
 * The project root: the nearest ancestor of `cwd` holding `.assistrc.json` or `.git`, else `cwd`.
 */
export function findProjectRoot(cwd: string = process.cwd()): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(dir, '.assistrc.json')) || existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

/**
 * Loads the effective config for the project at `cwd`, with flag values on top. Async only so that
 * the config validator (ajv) loads when a command needs the config, not at every launch.
 */
export async function loadProjectConfig(flags?: DeepPartial<Config>, cwd?: string): Promise<LoadedConfig & { root: string }> {
  const { loadConfig } = await import('../config/load.ts');
  const root = findProjectRoot(cwd);
  return { root, ...loadConfig({ root, flags }) };
}
