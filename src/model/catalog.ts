/**
 * The model catalog: recommended GGUFs with where to get them and what they need. The shipped
 * list is `models/catalog.json`; `$ASSIST_CATALOG` (a path) or an explicit option replaces it
 * (tests point it at a loopback server).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { ModelSetupError } from './language-model.ts';

/** One recommended model. */
export interface CatalogEntry {
  /** Short name used by `assist models pull NAME` and `model.name`. */
  name: string;
  description: string;
  /** File name in the models directory. */
  file: string;
  /** Download URLs (https), tried in order. */
  urls: string[];
  /** Size of the file in bytes; exact only when `sizeIsExact`. */
  sizeBytes: number;
  sizeIsExact: boolean;
  /** Memory needed to run it with a modest context, in bytes. */
  memoryBytes: number;
  /** Training context size in tokens. */
  contextSize: number;
  license: string;
  /** The chat template family (informational; the engine reads the template from the file). */
  chatFormat: string;
  /** Lowercase hex SHA-256 of the file, where known. */
  sha256: string | null;
}

export interface Catalog {
  /** The model a new user is offered when it fits the machine (`recommendModel`); absent: the first entry. */
  default?: string;
  models: CatalogEntry[];
}

/** A catalog given in code, or the path of a catalog file. */
export type CatalogSource = Catalog | string;

const entrySchema = {
  type: 'object',
  required: ['name', 'description', 'file', 'urls', 'sizeBytes', 'sizeIsExact', 'memoryBytes', 'contextSize', 'license', 'chatFormat', 'sha256'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' },
    description: { type: 'string' },
    file: { type: 'string', pattern: '^[^/\\\\]+\\.gguf$' },
    urls: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^https?://' } },
    sizeBytes: { type: 'integer', minimum: 1 },
    sizeIsExact: { type: 'boolean' },
    memoryBytes: { type: 'integer', minimum: 1 },
    contextSize: { type: 'integer', minimum: 1 },
    license: { type: 'string' },
    chatFormat: { type: 'string' },
    sha256: { type: ['string', 'null'], pattern: '^[0-9a-f]{64}$' },
  },
} as const;
const catalogSchema = {
  type: 'object',
  required: ['models'],
  properties: { $comment: { type: 'string' }, default: { type: 'string' }, models: { type: 'array', items: entrySchema } },
  additionalProperties: false,
} as const;
const validate = new Ajv({ allErrors: false, strict: false }).compile(catalogSchema);

/** The catalog shipped with assist. */
export function shippedCatalogPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/catalog.json');
}

/** Loads and validates a catalog (default: `$ASSIST_CATALOG`, else the shipped one). */
export function loadCatalog(source?: CatalogSource): Catalog {
  if (source && typeof source === 'object') return checkCatalog(source, 'the given catalog');
  const file = source ?? (process.env.ASSIST_CATALOG || shippedCatalogPath());
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelSetupError(`Cannot read the model catalog ${file}: ${(error as Error).message}`, { cause: error });
  }
  return checkCatalog(value, file);
}

function checkCatalog(value: unknown, where: string): Catalog {
  if (!validate(value)) {
    const e = validate.errors?.[0];
    throw new ModelSetupError(`The model catalog ${where} is invalid at ${e?.instancePath || '(top)'}: ${e?.message}.`);
  }
  const catalog = value as unknown as Catalog;
  if (catalog.default !== undefined && !findCatalogEntry(catalog, catalog.default)) {
    throw new ModelSetupError(`The model catalog ${where} is invalid at /default: "${catalog.default}" names no model in it.`);
  }
  return catalog;
}

/** The model offered to a new user when it fits: the one `default` names, else the first; undefined for an empty catalog. */
export function defaultCatalogEntry(catalog: Catalog): CatalogEntry | undefined {
  return (catalog.default === undefined ? undefined : findCatalogEntry(catalog, catalog.default)) ?? catalog.models[0];
}

/** The entry named `name`, or undefined. */
export function findCatalogEntry(catalog: Catalog, name: string): CatalogEntry | undefined {
  return catalog.models.find((m) => m.name === name);
}
