import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { configFileSchema, defaults, type Config } from './schema.ts';

/** Where a setting's effective value came from, in merge order. */
export type ConfigSource = 'default' | 'user' | 'project' | 'flag';

/** A settings file that cannot be used; the message names the file and the key. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: Config;
  /** `section.key` → where its value came from. */
  sources: Record<string, { source: ConfigSource; file?: string }>;
  files: { user: string; project: string };
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

const ajv = new Ajv({ allErrors: true, strict: false });
const validateFile = ajv.compile(configFileSchema);

export function userConfigPath(): string {
  if (process.env.ASSIST_CONFIG) return process.env.ASSIST_CONFIG;
  const base = process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'assist', 'config.json');
}

/** Merges defaults ← user ← project ← flags, validating each layer against the one strict schema. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const userFile = options.userConfigPath ?? userConfigPath();
  const projectFile = path.join(options.root, '.assistrc.json');
  const config = structuredClone(defaults);
  const sources: LoadedConfig['sources'] = {};
  for (const [section, values] of Object.entries(defaults)) {
    for (const key of Object.keys(values)) sources[`${section}.${key}`] = { source: 'default' };
  }
  const layers: Array<[ConfigSource, string, unknown]> = [];
  if (existsSync(userFile)) layers.push(['user', userFile, readJsonFile(userFile)]);
  if (existsSync(projectFile)) layers.push(['project', projectFile, readJsonFile(projectFile)]);
  if (options.flags) layers.push(['flag', 'command-line flags', options.flags]);
  for (const [source, file, value] of layers) {
    checkLayer(value, file);
    for (const [section, values] of Object.entries(value as Record<string, Record<string, unknown>>)) {
      if (section === '$schema' || values === undefined) continue;
      for (const [key, v] of Object.entries(values)) {
        if (v === undefined) continue;
        (config as unknown as Record<string, Record<string, unknown>>)[section][key] = v;
        sources[`${section}.${key}`] = source === 'flag' ? { source } : { source, file };
      }
    }
  }
  return { config, sources, files: { user: userFile, project: projectFile } };
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

function checkLayer(value: unknown, file: string): void {
  if (validateFile(value)) return;
  const error = pickError(validateFile.errors ?? []);
  const key = errorKey(error);
  throw new ConfigError(`${file}: ${describe(error, key)}`, file, key);
}

function pickError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0];
}

function errorKey(error: ErrorObject): string {
  const base = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return base ? `${base}.${extra}` : extra;
  }
  return base || '(top level)';
}

function describe(error: ErrorObject, key: string): string {
  switch (error.keyword) {
    case 'additionalProperties': {
      const section = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : undefined;
      const known = section ? Object.keys((defaults as unknown as Record<string, object>)[section] ?? {}) : Object.keys(defaults);
      return `unknown key "${key}". Known keys${section ? ` in "${section}"` : ''}: ${known.join(', ')}.`;
    }
    case 'enum':
      return `"${key}" must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'type':
      return `"${key}" must be ${(error.params as { type: string | string[] }).type.toString().replace(',', ' or ')}.`;
    default:
      return `"${key}" ${error.message}.`;
  }
}
