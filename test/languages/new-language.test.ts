/**
 * Adding a language is its row in src/languages/languages.ts plus what scripts/new-language.ts
 * lists (a query, fixtures, generated snapshots): every row of the table has those, the modules
 * that read the table are the known views of it, nothing else names a language's file
 * extensions, and the table imports nothing but itself (every part may import it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { languageNames, languageRow } from '../../src/languages/languages.ts';
import { languageNeeds, tableReaders } from '../../scripts/new-language.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

test('every row has what scripts/new-language.ts says a language needs', () => {
  for (const name of languageNames) {
    const missing = languageNeeds(name).filter((need) => need.done === false);
    assert.deepEqual(missing, [], name);
  }
});

test('a language not in the table needs its row, query, fixtures and syntax case', () => {
  const needs = languageNeeds('cobol');
  assert.ok(needs.every((need) => need.done !== true));
  const files = needs.map((need) => need.file).join('\n');
  for (const file of [
    'src/languages/languages.ts',
    'src/index/queries/cobol.scm',
    'test/fixtures/index/cobol/expected.json',
    'test/support/syntax-cases.ts',
    'package.json',
  ]) {
    assert.ok(files.includes(file), file);
  }
});

test('the modules that read the table are its views', () => {
  assert.deepEqual(tableReaders(), [
    'src/agent/answers/answer-scope.ts',
    'src/agent/answers/answer-target.ts',
    'src/agent/answers/call-trace.ts',
    'src/agent/checks/compiler-fixes.ts',
    'src/agent/checks/lint-run.ts',
    'src/agent/checks/script-entry.ts',
    'src/agent/checks/test-guard.ts',
    'src/agent/completion/infill-repair.ts',
    'src/agent/completion/stub-guard.ts',
    'src/agent/docs/doc-fill.ts',
    'src/agent/intake/intake-search.ts',
    'src/agent/intake/intake.ts',
    'src/agent/intake/task-files.ts',
    'src/agent/next-step.ts',
    'src/agent/task-output.ts',
    'src/agent/test-writing/bare-asserts.ts',
    'src/agent/test-writing/copied-code.ts',
    'src/agent/test-writing/new-test-file.ts',
    'src/config/schema.ts',
    'src/index/languages.ts',
    'src/sandbox/languages.ts',
    'src/sandbox/lint-checks.ts',
    'src/sandbox/test-command.ts',
  ]);
});

test("no module outside the table names a language's file extension", async () => {
  const extensions = languageNames.flatMap((name) => languageRow(name).extensions);
  const pattern = new RegExp(`['"\`](${extensions.map((ext) => ext.replace(/[.+]/g, '\\$&')).join('|')})['"\`]`);
  const files = await fg(['src/**/*.{ts,mjs,js}', 'tools/**/*.ts', 'bin/**/*.js'], { cwd: root, ignore: ['src/languages/**'] });
  assert.ok(files.length > 50);
  const naming = files.filter((file) => pattern.test(readFileSync(path.join(root, file), 'utf8')));
  assert.deepEqual(naming, []);
});

test('the table is a leaf: its modules import only each other and node:path', () => {
  const dir = path.join(root, 'src', 'languages');
  for (const file of readdirSync(dir)) {
    const imports = [...readFileSync(path.join(dir, file), 'utf8').matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'([^']+)'/g)].map((m) => m[1]);
    if (file === 'languages.ts') assert.ok(imports.length >= 4, 'the imports of languages.ts are seen');
    for (const spec of imports) assert.ok(/^\.\/[\w-]+\.ts$/.test(spec) || spec === 'node:path', `${file} imports ${spec}`);
  }
});
