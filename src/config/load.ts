import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { defaults, settingOf, topLevelSettingOf, type Config } from './schema.ts';
import type { ProjectRule } from './setting.ts';
import { checkLayer, ConfigError } from './validate.ts';

export { ConfigError };

/** Where a setting's effective value came from, in merge order. */
export type ConfigSource = 'default' | 'user' | 'project' | 'flag';

/**
 * A project setting that was not applied because it would weaken safety: the key, the value the
 * project file gave, the file, and why (a sentence for the warning).
 */
export interface IgnoredSetting {
  key: string;
  value: unknown;
  file: string;
  reason: string;
}

export interface LoadedConfig {
  config: Config;
  /** `section.key` (or a top-level name such as `mcpServers`) → where its value came from. */
  sources: Record<string, { source: ConfigSource; file?: string }>;
  files: { user: string; project: string };
  /** Project settings ignored because they would weaken safety, in file order. */
  ignored: IgnoredSetting[];
}

export interface LoadConfigOptions {
  /** The project root (where `.assistrc.json` lives). */
  root: string;
  /** Overrides the user config path (tests); default `~/.config/assist/config.json` or `$ASSIST_CONFIG`. */
  userConfigPath?: string;
  /** Values from CLI flags, as a partial settings object; validated like a file. */
  flags?: DeepPartial<Config>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function userConfigPath(): string {
  if (process.env.ASSIST_CONFIG) return process.env.ASSIST_CONFIG;
  const base = process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'assist', 'config.json');
}

/**
 * Merges defaults ← user ← project ← flags, validating each layer against the one declaration.
 * A project file may tune the work but not weaken safety: a key whose declaration says so is
 * applied from the project only when it makes things stricter, and is otherwise left out and
 * reported in `ignored`.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const userFile = options.userConfigPath ?? userConfigPath();
  const projectFile = path.join(options.root, '.assistrc.json');
  const config = structuredClone(defaults);
  const values = config as unknown as Record<string, Record<string, unknown>>;
  const sources: LoadedConfig['sources'] = {};
  const ignored: IgnoredSetting[] = [];
  for (const [section, keys] of Object.entries(defaults)) {
    if (topLevelSettingOf(section)) sources[section] = { source: 'default' };
    else for (const key of Object.keys(keys)) sources[`${section}.${key}`] = { source: 'default' };
  }
  const layers: Array<[ConfigSource, string, unknown]> = [];
  if (existsSync(userFile)) layers.push(['user', userFile, readJsonFile(userFile)]);
  if (existsSync(projectFile)) layers.push(['project', projectFile, readJsonFile(projectFile)]);
  if (options.flags) layers.push(['flag', 'command-line flags', options.flags]);
  for (const [source, file, layer] of layers) {
    checkLayer(layer, file);
    for (const [section, entries] of Object.entries(layer as Record<string, Record<string, unknown> | undefined>)) {
      if (section === '$schema' || entries === undefined) continue;
      const whole = topLevelSettingOf(section);
      if (whole) {
        // a whole value, replaced as one (a project's servers never mix with yours)
        const reason =
          source === 'project' ? projectRefusal(whole.project, section, entries, (config as unknown as Record<string, unknown>)[section], userFile) : null;
        if (reason) ignored.push({ key: section, value: entries, file, reason });
        else {
          (config as unknown as Record<string, unknown>)[section] = structuredClone(entries);
          sources[section] = source === 'flag' ? { source } : { source, file };
        }
        continue;
      }
      for (const [key, value] of Object.entries(entries)) {
        if (value === undefined) continue;
        const name = `${section}.${key}`;
        if (source === 'project') {
          const reason = projectRefusal(settingOf(section, key)!.project, name, value, values[section][key], userFile);
          if (reason) {
            ignored.push({ key: name, value, file, reason });
            continue;
          }
        }
        values[section][key] = structuredClone(value);
        sources[name] = source === 'flag' ? { source } : { source, file };
      }
    }
  }
  return { config, sources, files: { user: userFile, project: projectFile }, ignored };
}

/** Why a project may not set `name` (declared with `rule`) to `value` over `current`, or null when it may. */
function projectRefusal(rule: ProjectRule, name: string, value: unknown, current: unknown, userFile: string): string | null {
  const where = `set it in your own config (${userFile}) or with a flag`;
  switch (rule.kind) {
    case 'allowed':
      return null;
    case 'user-only':
      return `a project may not set it: ${rule.why}; ${where}.`;
    case 'tighten':
      return rule.permits(value, current) ? null : `a project may ${rule.doc} (${JSON.stringify(current)} here), never make it less safe; ${where}.`;
    default:
      return rule satisfies never;
  }
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${file}: ${(error as Error).message}`, file);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}. Fix the file or delete it.`, file);
  }
}
