/**
 * Tool schemas as the grammar must see them. node-llama-cpp drops every constraint of a schema
 * whose `type` is an array (`{type: ['string', 'null'], maxLength: 200}` becomes "any string or
 * null"), so a model could write args the tool's own schema rejects. Here such a schema becomes
 * `oneOf` one constrained schema per type, which the grammar does enforce; the meaning is the same.
 */

const typeSpecificKeys: Record<string, readonly string[]> = {
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['items', 'prefixItems', 'minItems', 'maxItems'],
  object: ['properties', 'additionalProperties', 'minProperties', 'maxProperties', 'required'],
  boolean: [],
  null: [],
};

/** `schema` with every multi-type `type` array rewritten as an equivalent `oneOf` (recursively). */
export function grammarSafeSchema<T>(schema: T): T {
  return rewrite(schema) as T;
}

function rewrite(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewrite);
  if (!schema || typeof schema !== 'object') return schema;
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'const' || key === 'enum') out[key] = value;
    else if (key === 'properties' && value && typeof value === 'object') out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    else out[key] = rewrite(value);
  }
  const types = out.type;
  if (!Array.isArray(types) || types.length < 2) return out;
  const constrained = types.some((t: string) => (typeSpecificKeys[t] ?? []).some((k) => k in out));
  if (!constrained) return out;
  const common: Record<string, unknown> = {};
  const specific = new Set(Object.values(typeSpecificKeys).flat());
  for (const [key, value] of Object.entries(out)) if (key !== 'type' && !specific.has(key)) common[key] = value;
  const variants = types.map((t: string) => {
    const variant: Record<string, unknown> = { type: t };
    for (const key of typeSpecificKeys[t] ?? []) if (key in out) variant[key] = out[key];
    return variant;
  });
  return { ...common, oneOf: variants };
}
