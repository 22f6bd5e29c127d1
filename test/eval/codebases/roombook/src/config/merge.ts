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
  let result: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const layer of layers) result = mergeObjects(result, layer as Record<string, unknown>);
  return result;
}

function mergeObjects(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeObjects(current, value) : structuredClone(value);
  }
  return out;
}

/** Whether `value` is an object literal (not an array, null, or a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
