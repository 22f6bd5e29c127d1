/** The language table is consistent: each file, name and test rule belongs to one row, and each part has what it needs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LanguageRow } from '../../src/languages/language-row.ts';
import { languageNamed, languageNames, languageRow, languagesWith } from '../../src/languages/languages.ts';
import { settings } from '../../src/config/schema.ts';
import type { TestProject } from '../../src/languages/test-rule.ts';
import { testRules } from '../../src/sandbox/test-command.ts';

const rows: Array<[string, LanguageRow]> = languageNames.map((name) => [name, languageRow(name)]);
const root = path.resolve(import.meta.dirname, '..', '..');

/** `value` → the rows that claim it, for values claimed more than once. */
function claimedTwice(claims: Array<[value: string, by: string]>): Record<string, string[]> {
  const by = new Map<string, string[]>();
  for (const [value, name] of claims) by.set(value, [...(by.get(value) ?? []), name]);
  return Object.fromEntries([...by].filter(([, names]) => names.length > 1));
}

test('every extension and file name belongs to one row, and extensions are lower-case with the dot', () => {
  const extensions = rows.flatMap(([name, row]) => row.extensions.map((ext) => [ext, name] as [string, string]));
  assert.deepEqual(claimedTwice(extensions), {});
  for (const [ext, name] of extensions) assert.match(ext, /^\.[a-z0-9+]+$/, `${name}: ${ext}`);
  assert.deepEqual(claimedTwice(rows.flatMap(([name, row]) => (row.fileNames ?? []).map((file) => [file, name] as [string, string]))), {});
});

test("every alias names one language, is lower-case and is no other row's id", () => {
  const names = rows.flatMap(([name, row]) => [name, ...(row.aliases ?? [])].map((alias) => [alias, name] as [string, string]));
  assert.deepEqual(claimedTwice(names), {});
  for (const [alias, name] of names) {
    assert.equal(alias, alias.toLowerCase(), `${name}: ${alias}`);
    assert.equal(languageNamed(alias.toUpperCase()), name, `${alias} names ${name} in any case`);
  }
});

test('every row has an output extension and a line comment', () => {
  for (const [name, row] of rows) {
    assert.match(row.outputExtension, /^[a-z0-9]{1,8}$/, name);
    assert.ok(row.lineComment.length > 0, name);
    assert.ok(row.label.length > 0, name);
  }
});

test("every indexed row's query file exists", () => {
  const indexed = languagesWith('index');
  assert.ok(indexed.length >= 13);
  for (const name of indexed) {
    const query = languageRow(name).index!.query;
    assert.ok(existsSync(path.join(root, 'src', 'index', 'queries', query)), `${name}: src/index/queries/${query}`);
  }
});

test('every runnable row names the programs its snippet needs', () => {
  for (const name of languagesWith('snippet')) {
    const snippet = languageRow(name).snippet!;
    assert.ok(snippet.tools.length > 0, `${name}: snippet.tools`);
    assert.ok(
      snippet.tools.every((tool) => tool.length > 0 && !/\s/.test(tool)),
      `${name}: ${snippet.tools.join(', ')}`,
    );
    assert.ok(snippet.command.includes(snippet.file), `${name}: the command runs ${snippet.file}`);
  }
});

test('every lint row has its lint.* setting and every setting a lint row', () => {
  assert.deepEqual(Object.keys(settings.lint), languagesWith('lint'));
  for (const name of languagesWith('lint')) assert.ok(settings.lint[name].doc.includes(languageRow(name).lint!.summary), name);
});

test('a check or a run-file command reads files of the table, and no two checks read the same extension', () => {
  const known = new Set(rows.flatMap(([, row]) => row.extensions));
  for (const part of ['lint', 'runFile'] as const) {
    const claims = languagesWith(part).flatMap((name) => {
      const row = languageRow(name);
      return (row[part]!.extensions ?? row.extensions).map((ext) => [ext, name] as [string, string]);
    });
    assert.deepEqual(claimedTwice(claims), {}, part);
    for (const [ext, name] of claims) assert.ok(known.has(ext), `${name}.${part}: ${ext} is no row's extension`);
  }
});

test('test rules have one order each, so the detection order is the one written down', () => {
  const orders = testRules.map((rule) => rule.order);
  assert.deepEqual(
    orders,
    [...new Set(orders)].sort((a, b) => a - b),
  );
  assert.ok(orders.every((order) => Number.isInteger(order) && order > 0));
});

test('the rules are tried in the order test-command.ts always had', async () => {
  const everything: TestProject = {
    read: async (file) => (file === 'package.json' ? '{"scripts":{"test":"jest"}}' : 'test: all\n'),
    exists: async () => true,
    hasTestFiles: async () => true,
  };
  const commands = await Promise.all(testRules.map(async (rule) => (await rule.detect(everything))?.command));
  assert.deepEqual(commands, [
    'npm test',
    'node --test',
    'cargo test --offline',
    'go test ./...',
    'python3 -m pytest -q',
    'mvn -q -o test',
    'sh ./gradlew test --offline',
    'gradle test --offline',
    'make test',
    'rake test',
    'python3 -m pytest -q',
    undefined, // node --test for *.test.js files without a package.json: this project has one
  ]);
});
