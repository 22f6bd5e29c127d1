/**
 * The bundled TypeScript codebase (test/eval/codebases/roombook) and the `ts-` tasks on it: big
 * enough to be real work, no dependencies, and its own tests pass in the sandbox image (Node.js 22).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { defaultSuiteDir, loadSuite, readTree } from '../../src/eval/suite.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';

const codebase = path.resolve(defaultSuiteDir, '..', 'codebases', 'roombook');

test('roombook: at least 1,500 lines of TypeScript in 15 files, its own tests, a README, no dependencies', async () => {
  const files = await readTree(codebase);
  const source = [...files].filter(([rel]) => rel.startsWith('src/') && rel.endsWith('.ts'));
  const lines = source.reduce((sum, [, text]) => sum + text.split('\n').length - 1, 0);
  assert.ok(source.length >= 15, `only ${source.length} source files`);
  assert.ok(lines >= 1500, `only ${lines} lines of source`);
  assert.ok([...files.keys()].filter((rel) => rel.endsWith('.test.ts')).length >= 5, 'too few test files');
  const pkg = JSON.parse(files.get('package.json') ?? '{}');
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.devDependencies, undefined);
  assert.match(pkg.scripts?.test ?? '', /node .*--test/);
  assert.ok(![...files.keys()].some((rel) => rel.startsWith('node_modules/')), 'node_modules must not be bundled');
  assert.ok((files.get('README.md')?.match(/^## /gm) ?? []).length >= 5, 'the README needs its sections');
  for (const part of ['node:http', 'node:sqlite'])
    assert.ok(
      source.some(([, text]) => text.includes(`from '${part}'`)),
      `nothing imports ${part}`,
    );
});

test('the ts- tasks start from roombook and cover fix, refactor, add-test, question and docs', async () => {
  const tasks = (await loadSuite()).filter((t) => t.id.startsWith('ts-'));
  for (const task of tasks) {
    assert.equal(task.language, 'typescript', task.id);
    assert.equal(task.base && path.resolve(task.dir, task.base), codebase, `${task.id}: base must be the roombook codebase`);
  }
  const count = (kind: string) => tasks.filter((t) => t.kind === kind).length;
  assert.ok(tasks.length >= 14, `only ${tasks.length} ts- tasks`);
  assert.ok(
    count('fix') >= 4 && count('refactor') >= 4 && count('add-test') >= 2 && count('question') >= 3 && count('write') >= 1,
    JSON.stringify(tasks.map((t) => [t.id, t.kind])),
  );
});

test("roombook's own tests pass in the sandbox", { timeout: 5 * 60_000 }, async (t) => {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-roombook-'));
  const { sandbox, reason } = await openSandbox(structuredClone(defaults), { root: scratch });
  try {
    if (!sandbox) {
      if (process.env.CI) assert.fail(`No sandbox in CI: ${reason}`);
      t.skip(`no sandbox here: ${reason}`);
      return;
    }
    if (sandbox.kind !== 'docker') {
      // bubblewrap runs the host's own Node; roombook needs 22.18+ (type stripping, node:sqlite).
      const [major, minor] = process.versions.node.split('.').map(Number);
      if (major < 22 || (major === 22 && minor < 18)) {
        if (process.env.CI)
          assert.fail(`roombook needs the Docker sandbox image (Node.js 22) or a host Node >= 22.18; got ${sandbox.kind} with Node ${process.versions.node}`);
        t.skip(`the ${sandbox.kind} sandbox runs the host's Node ${process.versions.node}; roombook needs 22.18+`);
        return;
      }
    }
    const run = await sandbox.run({ command: 'node --version && npm test', files: { root: codebase, overlay: new Map() }, timeoutMs: 180_000 });
    assert.equal(run.exitCode, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    assert.match(run.stdout, /^v22\./m);
    assert.match(run.stdout, /# fail 0/);
  } finally {
    await sandbox?.dispose();
    await fs.rm(scratch, { recursive: true, force: true });
  }
});
