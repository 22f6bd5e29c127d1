/**
 * `openModel(config)`: the one place that turns settings into a LanguageModel. For `embedded` it
 * resolves `model.name` (a catalog name, a file in the models dir, or a path; null: the model
 * chosen with `assist models use`) and loads it; for `openai` it connects to the server.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { findCatalogEntry, loadCatalog, type Catalog } from './catalog.ts';
import { EmbeddedModel } from './embedded.ts';
import { ModelSetupError, type LanguageModel } from './language-model.ts';
import { currentModel, modelsDir } from './models-dir.ts';
import { OpenAIModel } from './openai.ts';

/**
 * Why no model could be opened: `none`, nothing is set up (no `model.name`, and no current model,
 * or the current one's file is gone); `not-downloaded`, a catalog model is named but not in the
 * models dir (`wanted` is its name); `unknown`, the configured name matches nothing.
 */
export type NoModelKind = 'none' | 'not-downloaded' | 'unknown';

/** No model is configured or found; the message says exactly how to get one. */
export class NoModelError extends ModelSetupError {
  readonly kind: NoModelKind;
  /** The catalog name of a `not-downloaded` model. */
  readonly wanted?: string;

  constructor(message?: string, options: { catalog?: Catalog; kind?: NoModelKind; wanted?: string } = {}) {
    super(message ?? NoModelError.howToGetOne(options.catalog));
    this.name = 'NoModelError';
    this.kind = options.kind ?? 'none';
    if (options.wanted !== undefined) this.wanted = options.wanted;
  }

  /** "No model is set up. Pull one: ... or import a file: ..." */
  static howToGetOne(catalog?: Catalog, lead = 'No model is set up.'): string {
    let names = '';
    try {
      names = (catalog ?? loadCatalog()).models.map((m) => m.name).join(', ');
    } catch {
      // a broken catalog must not hide the advice
    }
    return (
      `${lead} Pull one with \`assist models pull NAME\`${names ? ` (NAME: ${names})` : ''}, ` +
      'or import a GGUF file you already have with `assist models import PATH`.'
    );
  }
}

export interface OpenModelOptions {
  signal?: AbortSignal;
  /** Load progress, 0..1 (embedded only). */
  onProgress?: (fraction: number) => void;
  /** Catalog to resolve names against (default: `$ASSIST_CATALOG` or the shipped one). */
  catalog?: Catalog;
}

/** Where a configured model name points. */
export interface ResolvedModel {
  path: string;
  name: string;
}

/** Resolves `model.name` (or the current model) to a GGUF path. Throws NoModelError. */
export function resolveModelPath(config: Config, catalog?: Catalog): ResolvedModel {
  const dir = modelsDir(config);
  const recorded = config.model.name === null ? currentModel(dir) : null;
  const name = config.model.name ?? recorded;
  if (!name) throw new NoModelError(undefined, { catalog });
  let entry;
  try {
    entry = findCatalogEntry(catalog ?? loadCatalog(), name);
  } catch {
    entry = undefined;
  }
  if (entry) {
    const file = path.join(dir, entry.file);
    if (existsSync(file)) return { path: file, name: entry.name };
    throw new NoModelError(`Model "${name}" is not downloaded yet. Run \`assist models pull ${name}\` (${(entry.sizeBytes / 1e9).toFixed(1)} GB).`, {
      kind: 'not-downloaded',
      wanted: entry.name,
    });
  }
  for (const candidate of [path.join(dir, name), path.join(dir, `${name}.gguf`)]) {
    if (!name.includes('/') && existsSync(candidate)) return { path: candidate, name: path.basename(candidate).replace(/\.gguf$/i, '') };
  }
  const asPath = path.resolve(name);
  if (existsSync(asPath)) return { path: asPath, name: path.basename(asPath).replace(/\.gguf$/i, '') };
  if (recorded) throw new NoModelError(NoModelError.howToGetOne(catalog, `The current model "${name}" is no longer in ${dir}.`), { kind: 'none' });
  throw new NoModelError(NoModelError.howToGetOne(catalog, `No model named "${name}" (not in the catalog, not in ${dir}, not a file).`), { kind: 'unknown' });
}

/** Opens the configured model. Throws NoModelError / ModelSetupError with a message to act on. */
export async function openModel(config: Config, options: OpenModelOptions = {}): Promise<LanguageModel> {
  switch (config.model.backend) {
    case 'openai':
      return OpenAIModel.connect(config, { signal: options.signal });
    case 'embedded': {
      const resolved = resolveModelPath(config, options.catalog);
      return EmbeddedModel.load({
        path: resolved.path,
        name: resolved.name,
        contextSize: config.model.contextSize,
        threads: config.model.threads,
        gpu: config.model.gpu,
        temperature: config.model.temperature,
        maxTokens: config.model.maxTokens,
        timeoutMs: config.model.timeoutMs,
        signal: options.signal,
        onProgress: options.onProgress,
      });
    }
    default:
      return config.model.backend satisfies never;
  }
}
