/** Temp copies of fixture repositories for index tests (removed by the returned `cleanup`). */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const fixturesDir = path.join(import.meta.dirname, '..', 'fixtures', 'index');

/** Copies `test/fixtures/index/<name>/input` (or an empty dir) into a fresh temp directory. */
export function tempProject(name?: string): { root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'assist-index-'));
  if (name) cpSync(path.join(fixturesDir, name, 'input'), root, { recursive: true });
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
