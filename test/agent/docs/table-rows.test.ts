/**
 * The rows a written table of settings left out (table-rows.ts): the key paths of the code's
 * objects, which object a table lists and what it lacks, and the rows written for it. Code
 * completion is scripted (what it writes on after each row's key cell), so the placing and keeping
 * of rows is under test; the parsing is the index's real tree-sitter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingRows, objectKeyPaths, withMissingRows } from '../../../src/agent/docs/table-rows.ts';
import type { ToolContext } from '../../../tools/tool.ts';

const defaults = `import type { Config } from './types.ts';

export const defaultConfig: Readonly<Config> = deepFreeze({
  server: {
    host: '127.0.0.1',
    port: 8080,
    maxBodyBytes: 64 * 1024,
  },
  database: {
    path: 'data/app.sqlite',
    busyTimeoutMs: 2_000,
  },
  log: { level: 'info', 'format': 'text' },
} satisfies Config);

const empty = {};
`;

const table = [
  'Settings, as `section.key`:',
  '',
  '| Setting | Environment variable | Default |',
  '|---------|----------------------|---------|',
  '| `server.host` | `APP_HOST` | `127.0.0.1` |',
  '| `server.port` | `APP_PORT` | `8080` |',
  '| `database.path` | `APP_DB` | `data/app.sqlite` |',
  '| `log.level` | `APP_LOG_LEVEL` | `info` |',
  '| `log.format` | — | `text` |',
];

test('the key paths of each outermost object: nested objects as sections, quoted keys, `satisfies` looked through; Python dicts and JSON too', () => {
  assert.deepEqual(objectKeyPaths('src/config/defaults.ts', defaults), [
    ['server.host', 'server.port', 'server.maxBodyBytes', 'database.path', 'database.busyTimeoutMs', 'log.level', 'log.format'],
  ]);
  assert.deepEqual(objectKeyPaths('settings.py', 'DEFAULTS = {\n    "server": {"host": "127.0.0.1", "port": 8350},\n    "currency": "EUR",\n}\n'), [
    ['server.host', 'server.port', 'currency'],
  ]);
  assert.deepEqual(objectKeyPaths('app.config.example.json', '{ "server": { "port": 9000 }, "tags": ["a"], "log": {} }'), [['server.port', 'tags', 'log']]);
  assert.deepEqual(objectKeyPaths('broken.json', '{ "server": '), [], 'JSON that does not parse has none');
  assert.deepEqual(objectKeyPaths('notes.md', '{ a: 1 }'), [], 'not code');
});

test('the rows a table lacks: of the object that holds most of its keys, the paths it names nowhere, each after the last row of its section', () => {
  const objects = [['variable', 'section', 'key'], ...objectKeyPaths('src/config/defaults.ts', defaults)];
  assert.deepEqual(missingRows(table, objects), [
    { key: 'server.maxBodyBytes', after: 5 },
    { key: 'database.busyTimeoutMs', after: 6 },
  ]);
  // (a key the table gives in another cell is named there: no row of its own)
  const named = table.map((line) => line.replace('`data/app.sqlite`', '`data/app.sqlite` (`database.busyTimeoutMs`: 2000)'));
  assert.deepEqual(
    missingRows(named, objects).map((row) => row.key),
    ['server.maxBodyBytes'],
  );
  // (an object that holds few of the table's keys is not what it lists)
  assert.deepEqual(missingRows(table.slice(0, 6), objects), [], 'two keys shared are too few');
  assert.deepEqual(
    missingRows(table, [['server.host', 'server.port', 'database.path', ...Array.from({ length: 9 }, (_, i) => `extra.k${i}`)]]),
    [],
    'an object that lacks more than it shares',
  );
  assert.deepEqual(missingRows(['no table here'], objects), []);
});

test('each row is begun with its key cell and written on by code completion; a row that does not come out as one of the table is left out', async () => {
  const asked: Array<{ prefix: string; suffix: string; stops?: string[] }> = [];
  const ctx = {
    signal: new AbortController().signal,
    infill: async (request: { prefix: string; suffix: string; stops?: string[] }) => {
      asked.push(request);
      if (request.prefix.endsWith('`server.maxBodyBytes` |')) return ' — | `65536` |\n| `server.other` | x | y |';
      if (request.prefix.endsWith('`server.timeoutMs` |')) return ' the request timeout';
      return ' — | `2000` |';
    },
  } as unknown as ToolContext;
  const missing = [
    { key: 'server.maxBodyBytes', after: 5 },
    { key: 'server.timeoutMs', after: 5 },
    { key: 'database.busyTimeoutMs', after: 6 },
  ];
  const { lines, written } = await withMissingRows(
    ctx,
    'README.md',
    table,
    missing,
    { before: '# App\n\n## Configuration\n\n', after: '\n## Usage\n' },
    60_000,
  );
  assert.deepEqual(written, ['server.maxBodyBytes', 'database.busyTimeoutMs']);
  assert.deepEqual(lines, [
    ...table.slice(0, 6),
    '| `server.maxBodyBytes` | — | `65536` |',
    table[6],
    '| `database.busyTimeoutMs` | — | `2000` |',
    ...table.slice(7),
  ]);
  assert.equal(asked.length, 3);
  assert.ok(asked[0].prefix.startsWith('# App\n\n## Configuration\n\nSettings, as'), 'the document before the section, then the table up to the row');
  assert.ok(asked[0].prefix.endsWith('| `server.port` | `APP_PORT` | `8080` |\n| `server.maxBodyBytes` |'));
  assert.equal(asked[0].suffix, `\n${table.slice(6).join('\n')}\n## Usage\n`);
  assert.deepEqual(asked[0].stops, ['\n']);
  assert.ok(asked[1].prefix.endsWith('| `server.maxBodyBytes` | — | `65536` |\n| `server.timeoutMs` |'), 'after the row put in before it');
});

test('a file too long to hold a settings object (a lock file, a data dump) is not looked through', () => {
  const big = JSON.stringify({ packages: Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`node_modules/p${i}`, { version: '1.0.0' }])) });
  assert.ok(big.length > 200_000);
  assert.deepEqual(objectKeyPaths('package-lock.json', big), []);
});
