/**
 * Detects a project's test command from its files (as the sandbox will see them: disk plus
 * pending changes), in order: package.json `test` script (or, without one, `node --test` when
 * there are *.test.js files), Cargo, Go, pytest, Maven, Gradle, `make test`, Ruby's rake.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
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

/** The detected command and why it was chosen, or undefined when nothing was recognised. */
export async function detectTestCommand(snapshot: WorkspaceSnapshot): Promise<{ command: string; reason: string } | undefined> {
  const read = async (rel: string): Promise<string | undefined> => {
    if (snapshot.overlay.has(rel)) return snapshot.overlay.get(rel) ?? undefined;
    return fs.readFile(path.join(snapshot.root, rel), 'utf8').catch(() => undefined);
  };
  const exists = async (rel: string): Promise<boolean> => (await read(rel)) !== undefined;

  const pkg = await read('package.json');
  if (pkg !== undefined) {
    try {
      const test = (JSON.parse(pkg) as { scripts?: Record<string, unknown> }).scripts?.test;
      if (typeof test === 'string' && !/no test specified/.test(test)) return { command: 'npm test', reason: 'package.json has a "test" script' };
    } catch {
      // not valid JSON: fall through to other detectors
    }
    if (await hasTestFiles(snapshot, isNodeTest)) return { command: 'node --test', reason: 'package.json and *.test.js files (no "test" script)' };
  }
  if (await exists('Cargo.toml')) return { command: 'cargo test --offline', reason: 'Cargo.toml' };
  if (await exists('go.mod')) return { command: 'go test ./...', reason: 'go.mod' };
  for (const f of ['pytest.ini', 'pyproject.toml', 'setup.py', 'setup.cfg', 'tox.ini', 'conftest.py']) {
    if (await exists(f)) return { command: 'python3 -m pytest -q', reason: f };
  }
  if (await exists('pom.xml')) return { command: 'mvn -q -o test', reason: 'pom.xml' };
  if (await exists('gradlew')) return { command: 'sh ./gradlew test --offline', reason: 'gradlew' };
  if ((await exists('build.gradle')) || (await exists('build.gradle.kts'))) return { command: 'gradle test --offline', reason: 'build.gradle' };
  const makefile = (await read('Makefile')) ?? (await read('makefile'));
  if (makefile !== undefined && /^test\s*:/m.test(makefile)) return { command: 'make test', reason: 'Makefile has a "test" target' };
  if (await exists('Rakefile')) return { command: 'rake test', reason: 'Rakefile' };
  if (await hasTestFiles(snapshot, isPythonTest)) return { command: 'python3 -m pytest -q', reason: 'test_*.py files' };
  return undefined;
}

/** Whether the project root, tests/ or test/ (on disk or pending) holds a file `isTest` accepts. */
async function hasTestFiles(snapshot: WorkspaceSnapshot, isTest: (rel: string) => boolean): Promise<boolean> {
  for (const [rel, content] of snapshot.overlay) if (content !== null && isTest(rel)) return true;
  for (const dir of ['.', 'tests', 'test']) {
    const names = await fs.readdir(path.join(snapshot.root, dir)).catch(() => [] as string[]);
    if (names.some((n) => isTest(n))) return true;
  }
  return false;
}

/** What `node --test` runs by default: *.test.js / *.test.mjs / *.test.cjs (and test-*.js). */
function isNodeTest(rel: string): boolean {
  return /(\.|-|_)test\.[cm]?js$|^test-.*\.[cm]?js$/.test(path.basename(rel));
}

function isPythonTest(rel: string): boolean {
  const name = path.basename(rel);
  return /^test_.*\.py$/.test(name) || /_test\.py$/.test(name);
}
