/**
 * The names a written table gives, looked up in the project (doc-facts.ts), and the files a file
 * imports (imported-files.ts), read before a section about it is written. Real temp repos, the real
 * search and the real index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedTableNames, projectLines } from '../../../src/agent/docs/doc-facts.ts';
import { importedFiles } from '../../../src/agent/intake/imported-files.ts';
import { indexedRepo } from '../harness.ts';

test("a table's constant-like names the project does not have: the one a line gives beside the row's key, else a dash", async (t) => {
  const { root } = await indexedRepo(t, {
    'src/env.ts':
      "export const bindings = [\n  { variable: 'APP_HOST', key: 'host' },\n  { variable: 'APP_PAGE_SIZE', section: 'api', key: 'defaultPageSize' },\n];\n",
    'src/defaults.ts': 'export const defaults = { host: "0.0.0.0", defaultPageSize: 25, maxPageSize: 100, timeoutMs: 5000 };\n',
  });
  const find = projectLines(root, 'README.md');
  const lines = [
    '| Setting | Variable | Default |',
    '|---|---|---|',
    '| `host` | `APP_HOST` | `0.0.0.0` |',
    '| `api.defaultPageSize` | `APP_DEFAULT_PAGE_SIZE` | 25 |',
    '| `api.maxPageSize` | `APP_MAX_PAGE_SIZE` | 100 |',
    '| `timeoutMs` | APP_TIMEOUT_MS | 5000 |',
    'Variables win over the file; `APP_CONFIG` names the file.',
  ];
  const checked = await checkedTableNames(lines, find);
  assert.deepEqual(checked.lines, [
    '| Setting | Variable | Default |',
    '|---|---|---|',
    '| `host` | `APP_HOST` | `0.0.0.0` |',
    '| `api.defaultPageSize` | `APP_PAGE_SIZE` | 25 |',
    // (APP_PAGE_SIZE is the row above's: no line gives maxPageSize a variable)
    '| `api.maxPageSize` | — | 100 |',
    '| `timeoutMs` | — | 5000 |',
    'Variables win over the file; `APP_CONFIG` names the file.',
  ]);
  assert.deepEqual(checked.fixed, [
    { from: 'APP_DEFAULT_PAGE_SIZE', to: 'APP_PAGE_SIZE' },
    { from: 'APP_MAX_PAGE_SIZE', to: '—' },
    { from: 'APP_TIMEOUT_MS', to: '—' },
  ]);
  assert.deepEqual((await checkedTableNames(lines.slice(0, 3), find)).fixed, [], 'names the project has are left');
});

test('the files a file imports: by relative path, by dotted module, by the name imported', async (t) => {
  const { index, textOf } = await indexedRepo(t, {
    'src/config/defaults.ts':
      "import type { Config } from './types.ts';\nimport { clamp } from '../util';\nexport const defaults: Config = { port: clamp(8080) };\n",
    'src/config/types.ts': 'export interface Config {\n  port: number;\n}\n',
    'src/util.ts': 'export function clamp(n: number): number {\n  return n;\n}\n',
    'src/config/defaults.test.ts': "import { defaults } from './defaults.ts';\n",
    'shop/settings.py': 'from shop.defaults import DEFAULTS\nfrom .rules import rule\nimport os\n',
    'shop/defaults.py': 'DEFAULTS = {"currency": "EUR"}\n',
    'shop/rules.py': 'def rule():\n    return 1\n',
    'inventory.cpp': '#include "inventory.hpp"\n#include <string>\nlong total() { return parse_cents("1"); }\n',
    'inventory.hpp': 'long parse_cents(const char* text);\n',
  });
  const files = index.files();
  const of = async (file: string) => importedFiles(file, (await textOf(file))!, files, index);
  assert.deepEqual(await of('src/config/defaults.ts'), ['src/config/types.ts', 'src/util.ts']);
  assert.deepEqual(await of('shop/settings.py'), ['shop/defaults.py', 'shop/rules.py']);
  assert.deepEqual(await of('inventory.cpp'), ['inventory.hpp']);
  assert.deepEqual(await of('src/util.ts'), [], 'no imports');
});
