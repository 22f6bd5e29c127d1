/**
 * Checks one settings layer (a file or the flags) against the declaration in schema.ts: only
 * declared sections and keys, each value of its type and in its range. The first problem is a
 * ConfigError naming the file, the key, what is allowed and what was given.
 */
import { settingOf, settings, topLevelSettingOf, topLevelSettings } from './schema.ts';

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

/** Throws ConfigError for the first problem of `layer` (read from `file`). */
export function checkLayer(layer: unknown, file: string): void {
  if (!isPlainObject(layer))
    throw new ConfigError(`${file}: the settings must be a JSON object like {"agent": {"maxSteps": 20}}, not ${shown(layer)}.`, file, '(top level)');
  for (const [section, values] of Object.entries(layer)) {
    if (section === '$schema') {
      if (typeof values !== 'string') throw new ConfigError(`${file}: "$schema" must be a string.`, file, '$schema');
      continue;
    }
    const whole = topLevelSettingOf(section);
    if (whole) {
      if (values === undefined || whole.accepts(values)) continue;
      const problem = whole.problem?.(values);
      if (problem) throw new ConfigError(`${file}: "${problem.key}" ${problem.message}.`, file, problem.key);
      throw new ConfigError(`${file}: "${section}" must be ${whole.allowed}, not ${shown(values)}.`, file, section);
    }
    if (!Object.hasOwn(settings, section)) {
      throw new ConfigError(
        `${file}: unknown key "${section}". Known keys: ${[...Object.keys(settings), ...Object.keys(topLevelSettings)].join(', ')}.`,
        file,
        section,
      );
    }
    if (values === undefined) continue;
    if (!isPlainObject(values)) throw new ConfigError(`${file}: "${section}" must be an object of settings, not ${shown(values)}.`, file, section);
    for (const [key, value] of Object.entries(values)) {
      const name = `${section}.${key}`;
      const setting = settingOf(section, key);
      if (!setting) {
        throw new ConfigError(
          `${file}: unknown key "${name}". Known keys in "${section}": ${Object.keys(settings[section as keyof typeof settings]).join(', ')}.`,
          file,
          name,
        );
      }
      if (value === undefined || setting.accepts(value)) continue;
      throw new ConfigError(`${file}: "${name}" must be ${setting.allowed}, not ${shown(value)}.`, file, name);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as the person wrote it (JSON.parse turns 1e309 into Infinity: say so). */
function shown(value: unknown): string {
  if (Number.isNaN(value)) return 'NaN';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value < 0 ? 'a negative' : 'a'} number too large to hold (${value})`;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
