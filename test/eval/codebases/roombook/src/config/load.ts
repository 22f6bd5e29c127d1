/**
 * Loads the configuration: defaults, then the config file, then environment variables, then
 * overrides from the command line; later sources win setting by setting. The result is validated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig, defaultConfigFileName } from './defaults.ts';
import { configFileVariable, configFromEnv } from './env.ts';
import { isPlainObject, mergeLayers } from './merge.ts';
import type { Config, ConfigLayer } from './types.ts';
import { ConfigError, validateConfig } from './validate.ts';

/** Where to look for settings. */
export interface LoadConfigOptions {
  /** Directory the default config file is looked for in. */
  cwd: string;
  /** Environment variables, usually `process.env`. */
  env: Readonly<Record<string, string | undefined>>;
  /** A config file named on the command line; it must exist. Wins over `ROOMBOOK_CONFIG`. */
  file?: string;
  /** Settings from command-line flags; they win over everything else. */
  overrides?: ConfigLayer;
}

/** The configuration and the file it was read from (`null` when no file was used). */
export interface LoadedConfig {
  config: Config;
  file: string | null;
}

/**
 * Builds the effective configuration.
 *
 * The config file is `options.file`, else the file named by `ROOMBOOK_CONFIG`, else
 * `roombook.config.json` in `cwd` if there is one. A file that was named explicitly must exist.
 * A relative `database.path` is resolved from `cwd`.
 *
 * @throws {ConfigError} when the file cannot be read or parsed, an environment variable is not
 *   a valid value, or the merged settings fail validation.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const file = resolveConfigFile(options);
  const fileLayer = file ? readConfigFile(file) : {};
  const env = configFromEnv(options.env);
  if (env.problems.length > 0) throw new ConfigError('environment', env.problems);
  const merged = mergeLayers(defaultConfig as ConfigLayer, fileLayer, env.layer, options.overrides ?? {});
  const config = validateConfig(merged, file ? `${file} + environment` : 'defaults + environment');
  if (config.database.path !== ':memory:') config.database.path = path.resolve(options.cwd, config.database.path);
  return { config, file };
}

function resolveConfigFile(options: LoadConfigOptions): string | null {
  const named = options.file ?? options.env[configFileVariable]?.trim();
  if (named) {
    const file = path.resolve(options.cwd, named);
    if (!fs.existsSync(file)) {
      const via = options.file ? '--config' : configFileVariable;
      throw new ConfigError(file, [{ field: via, message: `config file ${file} does not exist` }]);
    }
    return file;
  }
  const fallback = path.join(options.cwd, defaultConfigFileName);
  return fs.existsSync(fallback) ? fallback : null;
}

/**
 * Reads one JSON config file as a configuration layer.
 *
 * @throws {ConfigError} when the file is not valid JSON or not a JSON object.
 */
export function readConfigFile(file: string): ConfigLayer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [{ field: '(file)', message: `cannot be read as JSON: ${(error as Error).message}` }]);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(file, [{ field: '(top)', message: 'must be a JSON object' }]);
  return parsed as ConfigLayer;
}
