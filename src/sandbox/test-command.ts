/**
 * Detects a project's test command from its files (as the sandbox will see them: disk plus
 * pending changes) by the rules of the language table (src/languages/test-rule.ts) and the generic
 * ones here, in their order: package.json `test` script (or, without one, `node --test` when
 * there are *.test.js files), Cargo, Go, pytest, Maven, Gradle, `make test`, Ruby's rake, then
 * test_*.py files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { languageRow, languagesWith } from '../languages/languages.ts';
import type { TestDetection, TestProject, TestRule } from '../languages/test-rule.ts';
import type { WorkspaceSnapshot } from '../workspace/workspace.ts';

/**
 * The command the project's tests run with: `tests.command` from the config when set, else the
 * detected one; with where it comes from. Undefined when there is none.
 */
export async function projectTestCommand(configured: string | null, snapshot: WorkspaceSnapshot): Promise<{ command: string; from: string } | undefined> {
  if (configured) return { command: configured, from: 'tests.command in the config' };
  const detected = await detectTestCommand(snapshot).catch(() => undefined);
  return detected ? { command: detected.command, from: detected.reason } : undefined;
}

/** The rules of test-command.ts itself: those of no one language. */
const genericRules: readonly TestRule[] = [
  {
    order: 90,
    async detect(project) {
      const makefile = (await project.read('Makefile')) ?? (await project.read('makefile'));
      return makefile !== undefined && /^test\s*:/m.test(makefile) ? { command: 'make test', reason: 'Makefile has a "test" target' } : undefined;
    },
  },
];

/** Every rule, the language table's and the generic ones, in the order they are tried. */
export const testRules: readonly TestRule[] = [...languagesWith('tests').flatMap((name) => languageRow(name).tests ?? []), ...genericRules].sort(
  (a, b) => a.order - b.order,
);

/** The detected command and why it was chosen, or undefined when nothing was recognised. */
export async function detectTestCommand(snapshot: WorkspaceSnapshot): Promise<TestDetection | undefined> {
  const read = async (rel: string): Promise<string | undefined> => {
    if (snapshot.overlay.has(rel)) return snapshot.overlay.get(rel) ?? undefined;
    return fs.readFile(path.join(snapshot.root, rel), 'utf8').catch(() => undefined);
  };
  const project: TestProject = {
    read,
    exists: async (rel) => (await read(rel)) !== undefined,
    hasTestFiles: (isTestName) => hasTestFiles(snapshot, isTestName),
  };
  for (const rule of testRules) {
    const found = await rule.detect(project);
    if (found) return found;
  }
  return undefined;
}

/** Whether the project root, tests/ or test/ (on disk or pending) holds a file whose base name `isTestName` accepts. */
async function hasTestFiles(snapshot: WorkspaceSnapshot, isTestName: (name: string) => boolean): Promise<boolean> {
  for (const [rel, content] of snapshot.overlay) if (content !== null && isTestName(path.basename(rel))) return true;
  for (const dir of ['.', 'tests', 'test']) {
    const names = await fs.readdir(path.join(snapshot.root, dir)).catch(() => [] as string[]);
    if (names.some((n) => isTestName(n))) return true;
  }
  return false;
}
