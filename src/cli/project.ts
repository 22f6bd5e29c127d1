import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DeepPartial, IgnoredSetting, LoadedConfig } from '../config/load.ts';
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

/** Options of `loadProjectConfig`. */
export interface LoadProjectConfigOptions {
  /** Where ignored project settings are reported (once per key and file in a process); default stderr. */
  warn?: (text: string) => void;
}

const warned = new Set<string>();

/**
 * Loads the effective config for the project at `cwd`, with flag values on top. Project settings
 * that would weaken safety are left out, and each is reported once as a warning naming the key and
 * the file. Async so that the config code loads when a command needs it, not at every launch.
 */
export async function loadProjectConfig(
  flags?: DeepPartial<Config>,
  cwd?: string,
  options: LoadProjectConfigOptions = {},
): Promise<LoadedConfig & { root: string }> {
  const { loadConfig } = await import('../config/load.ts');
  const root = findProjectRoot(cwd);
  const loaded = loadConfig({ root, flags });
  const warn = options.warn ?? ((text: string) => process.stderr.write(text));
  for (const item of loaded.ignored) {
    const id = `${item.file}\0${item.key}`;
    if (warned.has(id)) continue;
    warned.add(id);
    warn(`${ignoredSettingWarning(item)}\n`);
  }
  return { root, ...loaded };
}

/** The one-line warning for a project setting that was left out. */
export function ignoredSettingWarning(item: IgnoredSetting): string {
  return `warning: ${item.file} sets ${item.key} to ${JSON.stringify(item.value)}; ignored: ${item.reason}`;
}
