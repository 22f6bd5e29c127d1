/**
 * An MCP tool's input schema as the action grammar can hold it. The grammar (both protocols)
 * writes every property of an object and knows strings (with lengths), integers, numbers,
 * booleans, null, enums and consts of those, unions, arrays and objects; so here:
 *
 * - an optional property becomes nullable (`null` means "not given" and is dropped again before
 *   the call: see `dropNulls`);
 * - what the grammar cannot enforce but the server checks anyway (bounds, patterns, formats) moves
 *   into the property's description, so the model still reads it;
 * - local `$ref`s are followed; anything else the grammar cannot write (a recursive `$ref`, a map
 *   of free names such as `additionalProperties` or `patternProperties` without `properties`,
 *   `allOf`, `not`, tuples, "any value") leaves the tool out when a required argument needs it,
 *   and leaves out the argument when it is optional (the server then gets its default).
 */
import type { GbnfJsonObjectSchema } from 'node-llama-cpp';

/** Where optional properties are, to drop their nulls before a call. */
export interface NullShape {
  props?: Record<string, { optional: boolean; shape?: NullShape }>;
  items?: NullShape;
  branches?: NullShape[];
}

export type ReducedSchema =
  | { ok: true; schema: GbnfJsonObjectSchema; shape: NullShape /** Optional arguments left out, each with why. */; dropped: string[] }
  | { ok: false; reason: string };

type Json = Record<string, unknown>;
type Node = { schema: Json; shape?: NullShape };
class Inexpressible extends Error {}

const maxDepth = 12;
const maxNodes = 2000;
const descriptionChars = 200;
/** Keywords whose meaning the grammar cannot hold at all. */
const unsupported = [
  'not',
  'if',
  'then',
  'else',
  'prefixItems',
  'contains',
  'dependentSchemas',
  'dependencies',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
];

/** The grammar-safe form of an MCP tool's `inputSchema`, or why it has none. */
export function reduceInputSchema(inputSchema: unknown): ReducedSchema {
  const reducer = new Reducer(inputSchema);
  try {
    const root = isObject(inputSchema) ? reducer.resolve(inputSchema, '') : undefined;
    if (!root || (root.type !== undefined && root.type !== 'object')) return { ok: false, reason: 'its input schema is not an object schema' };
    const noProperties = !isObject(root.properties) || Object.keys(root.properties).length === 0;
    const freeNames = root.additionalProperties === true || isObject(root.additionalProperties) || root.patternProperties !== undefined;
    // `{type: "object"}` alone is how many servers write "no arguments"
    const node = noProperties && !freeNames ? { schema: { type: 'object', properties: {} }, shape: {} } : reducer.object({ ...root, type: 'object' }, '', 0);
    return { ok: true, schema: node.schema as unknown as GbnfJsonObjectSchema, shape: node.shape ?? {}, dropped: reducer.dropped };
  } catch (error) {
    if (error instanceof Inexpressible) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * `value` without the nulls the grammar made the model write for optional properties it did not
 * want to give (a server would read `null` as a value, and most reject it).
 */
export function dropNulls(value: unknown, shape: NullShape | undefined): unknown {
  if (!shape) return value;
  if (Array.isArray(value)) return shape.items ? value.map((v) => dropNulls(v, shape.items)) : value;
  if (!isObject(value)) return value;
  const own = shape.props ? shape : shape.branches?.find((b) => b.props);
  if (!own?.props) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const prop = own.props[key];
    if (v === null && prop?.optional) continue;
    out[key] = dropNulls(v, prop?.shape);
  }
  return out;
}

class Reducer {
  readonly dropped: string[] = [];
  private nodes = 0;
  private readonly expanding: string[] = [];

  constructor(private readonly root: unknown) {}

  /** `s` with a local `$ref` replaced by its target (siblings such as a description kept). */
  resolve(s: Json, at: string): Json {
    if (typeof s.$ref !== 'string') return s;
    const ref = s.$ref;
    if (!ref.startsWith('#')) throw new Inexpressible(`${label(at)} refers to another document (${ref})`);
    if (this.expanding.includes(ref)) throw new Inexpressible(`${label(at)} is recursive ($ref ${ref})`);
    let target: unknown = this.root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (!isObject(target)) throw new Inexpressible(`${label(at)} refers to ${ref}, which is not in the schema`);
    const { $ref: _ref, ...siblings } = s;
    this.expanding.push(ref);
    try {
      return this.resolve({ ...target, ...siblings }, at);
    } finally {
      this.expanding.pop();
    }
  }

  value(raw: unknown, at: string, depth: number): Node {
    if (++this.nodes > maxNodes) throw new Inexpressible('its input schema is too large for the grammar');
    if (depth > maxDepth) throw new Inexpressible(`${label(at)} is nested more than ${maxDepth} levels deep`);
    if (!isObject(raw)) throw new Inexpressible(`${label(at)} accepts any value`);
    let s = raw;
    if (typeof s.$ref === 'string') {
      // the reference stays open while its target is reduced: a target that refers back is recursive
      const ref = s.$ref;
      const target = this.resolve(s, at);
      this.expanding.push(ref);
      try {
        return this.value(target, at, depth + 1);
      } finally {
        this.expanding.pop();
      }
    }
    for (const keyword of unsupported) if (keyword in s) throw new Inexpressible(`${label(at)} uses "${keyword}"`);
    if (Array.isArray(s.allOf)) {
      if (s.allOf.length !== 1 || !isObject(s.allOf[0])) throw new Inexpressible(`${label(at)} uses "allOf"`);
      const { allOf: _allOf, ...rest } = s;
      s = { ...(s.allOf[0] as Json), ...rest };
    }
    const description = describe(s);
    const withDescription = (node: Node): Node => (description ? { ...node, schema: { ...node.schema, description } } : node);

    if ('const' in s) {
      if (!isPrimitive(s.const)) throw new Inexpressible(`${label(at)} is a constant that is not a string, number, boolean or null`);
      return withDescription({ schema: { const: s.const } });
    }
    if (Array.isArray(s.enum)) {
      if (s.enum.length === 0 || !s.enum.every(isPrimitive))
        throw new Inexpressible(`${label(at)} is an enum of values other than strings, numbers, booleans and null`);
      const values = s.nullable === true && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
      return withDescription({ schema: { enum: values } });
    }
    const union = (Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined) as unknown[] | undefined;
    if (union) {
      const { oneOf: _one, anyOf: _any, description: _d, nullable: _n, ...common } = s;
      const branches: Node[] = [];
      const seen = new Set<string>();
      const problems: string[] = [];
      const add = (node: Node) => {
        // a value may match only one branch (the grammar's `oneOf`), so the same branch is kept once
        const key = JSON.stringify(node.schema);
        if (seen.has(key)) return;
        seen.add(key);
        branches.push(node);
      };
      for (const branch of union) {
        try {
          const node = this.value(isObject(branch) ? { ...common, ...branch } : branch, at, depth + 1);
          if (Array.isArray(node.schema.oneOf)) (node.schema.oneOf as Json[]).forEach((b, j) => add({ schema: b, shape: node.shape?.branches?.[j] }));
          else add(node);
        } catch (error) {
          if (!(error instanceof Inexpressible)) throw error;
          problems.push(error.message);
        }
      }
      if (branches.length === 0) throw new Inexpressible(problems[0] ?? `${label(at)} is an empty union`);
      if (s.nullable === true) add({ schema: { type: 'null' } });
      if (branches.length === 1) return withDescription(branches[0]);
      return withDescription({ schema: { oneOf: branches.map((b) => b.schema) }, shape: { branches: branches.map((b) => b.shape ?? {}) } });
    }

    let types: string[] = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
    if (types.length === 0) {
      if (isObject(s.properties)) types = ['object'];
      else if (s.items !== undefined) types = ['array'];
      else throw new Inexpressible(`${label(at)} accepts any value`);
    }
    if (s.nullable === true && !types.includes('null')) types = [...types, 'null'];
    const variants = [...new Set(types)].map((type) => this.variant(type, s, at, depth));
    if (variants.length === 1) return withDescription(variants[0]);
    if (variants.every((v) => Object.keys(v.schema).length === 1)) return withDescription({ schema: { type: variants.map((v) => v.schema.type) } });
    return withDescription({ schema: { oneOf: variants.map((v) => v.schema) }, shape: { branches: variants.map((v) => v.shape ?? {}) } });
  }

  private variant(type: string, s: Json, at: string, depth: number): Node {
    switch (type) {
      case 'string': {
        const schema: Json = { type };
        if (isCount(s.minLength) && s.minLength > 0) schema.minLength = s.minLength;
        if (isCount(s.maxLength)) schema.maxLength = s.maxLength;
        return { schema };
      }
      case 'integer':
      case 'number':
      case 'boolean':
      case 'null':
        return { schema: { type } };
      case 'array': {
        if (s.items === undefined || s.items === true) throw new Inexpressible(`${label(at)} is a list of any values`);
        if (Array.isArray(s.items)) throw new Inexpressible(`${label(at)} is a tuple`);
        const item = this.value(s.items, `${at}[]`, depth + 1);
        const schema: Json = { type, items: item.schema };
        if (isCount(s.minItems) && s.minItems > 0) schema.minItems = s.minItems;
        if (isCount(s.maxItems)) schema.maxItems = s.maxItems;
        return { schema, ...(item.shape ? { shape: { items: item.shape } } : {}) };
      }
      case 'object':
        return this.object(s, at, depth);
      default:
        throw new Inexpressible(`${label(at)} has the unknown type "${type}"`);
    }
  }

  /** An object: its declared properties, each required or nullable; extra names are never written. */
  object(s: Json, at: string, depth: number): Node {
    const properties = isObject(s.properties) ? s.properties : {};
    if (Object.keys(properties).length === 0 && s.additionalProperties !== false) {
      const how = s.patternProperties ? 'patternProperties' : 'additionalProperties';
      throw new Inexpressible(`${label(at)} is a map of free names (${how})`);
    }
    const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
    const out: Json = {};
    const props: NonNullable<NullShape['props']> = {};
    for (const [name, raw] of Object.entries(properties)) {
      const where = at ? `${at}.${name}` : name;
      let node: Node;
      try {
        node = this.value(raw, where, depth + 1);
      } catch (error) {
        if (!(error instanceof Inexpressible) || required.has(name)) throw error;
        this.dropped.push(`optional argument "${where}" (${error.message})`);
        continue;
      }
      const optional = !required.has(name);
      out[name] = optional ? nullable(node.schema) : node.schema;
      props[name] = { optional, ...(node.shape ? { shape: node.shape } : {}) };
    }
    return { schema: { type: 'object', properties: out }, shape: { props } };
  }
}

/** How a message names the argument at `path`. */
function label(path: string): string {
  return path ? `argument "${path}"` : 'the input';
}

/** `schema` or null. */
function nullable(schema: Json): Json {
  const { description, ...rest } = schema;
  const withDescription = (s: Json): Json => (description === undefined ? s : { ...s, description });
  if (Array.isArray(rest.enum)) return withDescription(rest.enum.includes(null) ? rest : { ...rest, enum: [...rest.enum, null] });
  if (Array.isArray(rest.oneOf))
    return withDescription((rest.oneOf as Json[]).some((b) => b.type === 'null') ? rest : { oneOf: [...rest.oneOf, { type: 'null' }] });
  if (Array.isArray(rest.type)) return withDescription(rest.type.includes('null') ? rest : { ...rest, type: [...rest.type, 'null'] });
  if (typeof rest.type === 'string' && Object.keys(rest).length === 1) return withDescription(rest.type === 'null' ? rest : { type: [rest.type, 'null'] });
  return withDescription({ oneOf: [rest, { type: 'null' }] });
}

/** The schema's description on one line, with what the grammar does not enforce (bounds, pattern, format, default). */
function describe(s: Json): string {
  const notes: string[] = [];
  const bound = (key: string, words: string) => {
    if (typeof s[key] === 'number') notes.push(`${words} ${s[key]}`);
  };
  bound('minimum', 'at least');
  bound('exclusiveMinimum', 'more than');
  bound('maximum', 'at most');
  bound('exclusiveMaximum', 'less than');
  bound('multipleOf', 'a multiple of');
  if (typeof s.pattern === 'string') notes.push(`matching /${s.pattern}/`);
  if (typeof s.format === 'string') notes.push(`format ${s.format}`);
  if (s.uniqueItems === true) notes.push('no duplicates');
  if (s.default !== undefined && isPrimitive(s.default)) notes.push(`default ${JSON.stringify(s.default)}`);
  const text = typeof s.description === 'string' ? s.description.replace(/\s+/g, ' ').trim() : '';
  const clipped = text.length > descriptionChars ? `${text.slice(0, descriptionChars - 1)}…` : text;
  return [clipped.replace(/\.$/, ''), notes.length ? `(${notes.join(', ')})` : ''].filter(Boolean).join(' ');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
