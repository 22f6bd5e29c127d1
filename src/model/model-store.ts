/**
 * What `assist models ...` does, as plain functions: pull (catalog name or URL), import (a GGUF
 * copied in by hand, for air-gapped machines), use, remove, and list. The CLI only renders.
 */
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { findCatalogEntry, loadCatalog, type Catalog, type CatalogEntry } from './catalog.ts';
import { download, DownloadError, type DownloadProgress } from './download.ts';
import { inspectGgufFile, type GgufSummary } from './gguf-file.ts';
import { ModelSetupError } from './language-model.ts';
import { currentModel, installedModels, modelsDir, setCurrentModel } from './models-dir.ts';

/** Where models live and which catalog names them. */
export interface ModelStoreOptions {
  config?: Pick<Config, 'model'>;
  /** Catalog object or file (default `$ASSIST_CATALOG`, else the shipped one). */
  catalog?: Catalog | string;
}

function context(options: ModelStoreOptions): { dir: string; catalog: Catalog } {
  return { dir: modelsDir(options.config), catalog: loadCatalog(options.catalog) };
}

export interface PullOptions extends ModelStoreOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Automatic resumes after a dropped connection. */
  retries?: number;
  idleTimeoutMs?: number;
}

export interface PullResult {
  /** Name to use with `assist models use` / `model.name`. */
  name: string;
  path: string;
  sizeBytes: number;
  resumed: boolean;
  alreadyPresent: boolean;
  /** True when this became the current model (there was none). */
  madeCurrent: boolean;
}

/** What `pullModel(nameOrUrl)` downloads and where it puts it. */
interface PullTarget {
  name: string;
  entry?: CatalogEntry;
  urls: string[];
  /** The final path in the models dir; the transfer writes `<dest>.part` first. */
  dest: string;
}

function pullTarget(nameOrUrl: string, dir: string, catalog: Catalog): PullTarget {
  const entry = findCatalogEntry(catalog, nameOrUrl);
  if (entry) return { name: entry.name, entry, urls: entry.urls, dest: path.join(dir, entry.file) };
  if (/^https?:\/\//.test(nameOrUrl)) {
    const file = decodeURIComponent(new URL(nameOrUrl).pathname.split('/').pop() ?? '');
    if (!/^[^/\\]+\.gguf$/i.test(file)) throw new ModelSetupError(`${nameOrUrl} does not name a .gguf file. Give the URL of the GGUF file itself.`);
    return { name: file, urls: [nameOrUrl], dest: path.join(dir, file) };
  }
  throw new ModelSetupError(
    `No model named "${nameOrUrl}" in the catalog. Known: ${catalog.models.map((m) => m.name).join(', ')}; or give an https URL of a .gguf file.`,
  );
}

/** Where `pullModel(nameOrUrl)` puts the file (its unfinished download is this path plus `.part`). */
export function pullDestination(nameOrUrl: string, options: ModelStoreOptions = {}): string {
  const { dir, catalog } = context(options);
  return pullTarget(nameOrUrl, dir, catalog).dest;
}

/** Downloads a catalog model (by name) or any GGUF by https URL into the models dir. */
export async function pullModel(nameOrUrl: string, options: PullOptions = {}): Promise<PullResult> {
  const { dir, catalog } = context(options);
  const { name, entry, urls, dest } = pullTarget(nameOrUrl, dir, catalog);
  await mkdir(dir, { recursive: true });
  const makeCurrent = () => {
    if (currentModel(dir)) return false;
    setCurrentModel(dir, name);
    return true;
  };
  if (existsSync(dest)) {
    return { name, path: dest, sizeBytes: (await inspectGgufFile(dest)).sizeBytes, resumed: false, alreadyPresent: true, madeCurrent: makeCurrent() };
  }
  let lastError: unknown;
  for (const url of urls) {
    try {
      const result = await download({
        url,
        dest,
        expectedSize: entry?.sizeIsExact ? entry.sizeBytes : undefined,
        sha256: entry?.sha256,
        signal: options.signal,
        onProgress: options.onProgress,
        retries: options.retries,
        idleTimeoutMs: options.idleTimeoutMs,
        magic: 'GGUF',
      });
      return { name, path: dest, sizeBytes: result.sizeBytes, resumed: result.resumed, alreadyPresent: false, madeCurrent: makeCurrent() };
    } catch (error) {
      lastError = error;
      if (options.signal?.aborted) break;
    }
  }
  throw lastError instanceof Error ? lastError : new DownloadError(String(lastError));
}

/** Copies a GGUF into the models dir after checking its header; atomic (temp file, then rename). */
export async function importModel(
  source: string,
  options: ModelStoreOptions = {},
): Promise<{ name: string; path: string; summary: GgufSummary; madeCurrent: boolean }> {
  const { dir } = context(options);
  const summary = await inspectGgufFile(path.resolve(source));
  const file = path.basename(source).toLowerCase().endsWith('.gguf') ? path.basename(source) : `${path.basename(source)}.gguf`;
  const dest = path.join(dir, file);
  if (existsSync(dest)) throw new ModelSetupError(`${file} is already in ${dir}. Remove it first with \`assist models rm ${file}\`.`);
  await mkdir(dir, { recursive: true });
  const temp = `${dest}.${process.pid}.importing`;
  try {
    await copyFile(path.resolve(source), temp);
    await rename(temp, dest);
  } catch (error) {
    await rm(temp, { force: true });
    throw new ModelSetupError(`Cannot copy ${source} into ${dir}: ${(error as Error).message}`, { cause: error });
  }
  let madeCurrent = false;
  if (!currentModel(dir)) {
    setCurrentModel(dir, file);
    madeCurrent = true;
  }
  return { name: file, path: dest, summary, madeCurrent };
}

/** The file in the models dir that `name` (catalog name or file name) refers to. */
function installedFile(dir: string, catalog: Catalog, name: string): { name: string; path: string } {
  const entry = findCatalogEntry(catalog, name);
  const file = entry?.file ?? (name.toLowerCase().endsWith('.gguf') ? name : `${name}.gguf`);
  if (file.includes('/') || file.includes('\\')) throw new ModelSetupError(`"${name}" is not a model name; give a name from \`assist models list\`.`);
  const full = path.join(dir, file);
  if (!existsSync(full)) {
    const hint = entry ? ` Download it with \`assist models pull ${entry.name}\`.` : ' See `assist models list`.';
    throw new ModelSetupError(`Model "${name}" is not in ${dir}.${hint}`);
  }
  return { name: entry?.name ?? file, path: full };
}

/** Makes `name` the model used when `model.name` is not set. */
export function useModel(name: string, options: ModelStoreOptions = {}): { name: string; path: string } {
  const { dir, catalog } = context(options);
  const found = installedFile(dir, catalog, name);
  setCurrentModel(dir, found.name);
  return found;
}

/** Deletes a model (and any partial download of it); clears it as current. */
export async function removeModel(name: string, options: ModelStoreOptions = {}): Promise<{ name: string; path: string; wasCurrent: boolean }> {
  const { dir, catalog } = context(options);
  const found = installedFile(dir, catalog, name);
  await rm(found.path, { force: true });
  await rm(`${found.path}.part`, { force: true });
  const current = currentModel(dir);
  const wasCurrent = current === found.name || current === path.basename(found.path);
  if (wasCurrent) setCurrentModel(dir, null);
  return { ...found, wasCurrent };
}

/** One row of `assist models list`. */
export interface ModelListing {
  name: string;
  file: string;
  installed: boolean;
  current: boolean;
  sizeBytes: number;
  /** Present for catalog models. */
  entry?: CatalogEntry;
  /** Bytes of an unfinished download, if any. */
  partialBytes?: number;
}

/** Catalog models (installed or not), then imported files not in the catalog. */
export function listModels(options: ModelStoreOptions = {}): { dir: string; models: ModelListing[] } {
  const { dir, catalog } = context(options);
  const installed = new Map(installedModels(dir).map((m) => [m.file, m]));
  const current = currentModel(dir);
  const models: ModelListing[] = catalog.models.map((entry) => {
    const have = installed.get(entry.file);
    installed.delete(entry.file);
    const partialBytes = have ? undefined : fileSize(path.join(dir, `${entry.file}.part`));
    return {
      name: entry.name,
      file: entry.file,
      installed: !!have,
      current: current === entry.name || current === entry.file,
      sizeBytes: have?.sizeBytes ?? entry.sizeBytes,
      entry,
      partialBytes,
    };
  });
  for (const m of installed.values()) models.push({ name: m.file, file: m.file, installed: true, current: current === m.file, sizeBytes: m.sizeBytes });
  return { dir, models };
}

function fileSize(file: string): number | undefined {
  return existsSync(file) ? statSync(file).size : undefined;
}
