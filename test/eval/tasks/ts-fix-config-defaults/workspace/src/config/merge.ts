import type { ConfigLayer } from './types.ts';

/**
 * Lays configuration layers over a base, in order: a later layer wins, key by key. Sections are
 * merged setting by setting, so a layer that sets `server.port` keeps the base's `server.host`.
 * `undefined` values are skipped. Nothing passed in is modified.
 *
 * @param base Usually the defaults.
 * @param layers The config file, the environment, command-line flags.
 * @returns A new object; still unvalidated.
 */
export function mergeLayers(base: ConfigLayer, ...layers: ConfigLayer[]): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) result[key] = structuredClone(value);
    }
  }
  return result;
}

/** Whether `value` is an object literal (not an array, null, or a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
