/**
 * The user's models directory: downloaded and imported GGUFs, never in git. Location:
 * `model.modelsDir` from config, else `$ASSIST_MODELS_DIR`, else `~/.local/share/assist/models`
 * (or `$XDG_DATA_HOME/assist/models`). The model chosen with `assist models use` is recorded in
 * `current.json` there.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/schema.ts';

/** The models directory for `config` (not created). */
export function modelsDir(config?: Pick<Config, 'model'>): string {
  if (config?.model.modelsDir) return path.resolve(config.model.modelsDir);
  if (process.env.ASSIST_MODELS_DIR) return path.resolve(process.env.ASSIST_MODELS_DIR);
  const data = process.env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share');
  return path.join(data, 'assist', 'models');
}

const STATE_FILE = 'current.json';

/** The model recorded by `assist models use` (a file name in the models dir), or null. */
export function currentModel(dir: string): string | null {
  try {
    const value = JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8')) as { model?: unknown };
    return typeof value.model === 'string' && value.model ? value.model : null;
  } catch {
    return null;
  }
}

/** Records (or clears, with null) the current model, atomically. */
export function setCurrentModel(dir: string, model: string | null): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, STATE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ model }, null, 2) + '\n');
  renameSync(temp, file);
}

/** A GGUF in the models directory. */
export interface InstalledModel {
  file: string;
  path: string;
  sizeBytes: number;
}

/** The GGUF files in `dir`, sorted by name (partial downloads excluded). */
export function installedModels(dir: string): InstalledModel[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.toLowerCase().endsWith('.gguf'))
    .sort()
    .map((file) => ({ file, path: path.join(dir, file), sizeBytes: statSync(path.join(dir, file)).size }));
}
