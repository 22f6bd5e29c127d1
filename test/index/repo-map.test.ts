import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { openIndex } from '../../src/index/open-index.ts';
import { approximateTokens } from '../../src/index/repo-map.ts';
import { fixturesDir, tempProject } from './fixture-project.ts';

const expectedDir = path.join(fixturesDir, 'golden', 'expected');

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff before committing). */
function assertGolden(name: string, actual: string): void {
  const file = path.join(expectedDir, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden ${name}`);
}

async function goldenIndex() {
  const project = tempProject('golden');
  const index = openIndex(project.root, defaults, { threads: 1 });
  await index.update();
  return { index, cleanup: project.cleanup };
}

test('golden repo map with a focus file', async () => {
  const { index, cleanup } = await goldenIndex();
  try {
    const map = index.repoMap({ focusFiles: ['src/main.ts'], tokenBudget: 120 });
    assertGolden('map-focus-main-120.txt', map);
    assert.ok(approximateTokens(map) <= 120);
    // what the focus file uses comes first
    const lines = map.split('\n');
    assert.equal(lines[0], 'src/render.ts:');
    assert.ok(lines.indexOf('src/main.ts:') > lines.indexOf('src/geometry.ts:'));
    assertGolden('map-focus-main-1000.txt', index.repoMap({ focusFiles: ['src/main.ts'], tokenBudget: 1000 }));
    assertGolden('map-no-focus-1000.txt', index.repoMap({ tokenBudget: 1000 }));
  } finally {
    cleanup();
  }
});

test('files the conversation shows whole are left out of the map, which still centres on them', async () => {
  const { index, cleanup } = await goldenIndex();
  try {
    const focused = index.repoMap({ focusFiles: ['src/main.ts'], tokenBudget: 1000 });
    const map = index.repoMap({ focusFiles: ['src/main.ts'], omitFiles: ['./src/main.ts'], tokenBudget: 1000 });
    assert.ok(focused.includes('src/main.ts:'));
    assert.ok(!map.includes('src/main.ts'), map);
    // the same ranking, less the file shown
    assert.equal(map.split('\n')[0], 'src/render.ts:');
    assert.equal(map, focused.replace(/^src\/main\.ts:\n(  .*\n)*/m, ''));
  } finally {
    cleanup();
  }
});

test('the map respects the budget and grows by rank as the budget grows', async () => {
  const { index, cleanup } = await goldenIndex();
  try {
    const full = index.repoMap({ focusFiles: ['src/main.ts'], tokenBudget: 100_000 });
    assert.ok(full.includes('README.md'), 'files without symbols are listed last');
    let previous: string[] = [];
    for (const budget of [10, 20, 40, 60, 80, 120, 200, 400]) {
      const map = index.repoMap({ focusFiles: ['src/main.ts'], tokenBudget: budget });
      assert.ok(approximateTokens(map) <= budget, `budget ${budget}: ${approximateTokens(map)} tokens`);
      const entries = map.split('\n').filter((l) => l.startsWith('  '));
      for (const entry of previous) assert.ok(entries.includes(entry), `budget ${budget} keeps ${entry}`);
      assert.ok(entries.length >= previous.length);
      previous = entries;
    }
    assert.equal(index.repoMap({ tokenBudget: 5 }), '', 'nothing fits');
    // a caller's tokenizer is used: one token per line allows every line
    const perLine = index.repoMap({ tokenBudget: 12, countTokens: (t) => t.split('\n').length - 1 });
    assert.equal(perLine.split('\n').length - 1, 12);
  } finally {
    cleanup();
  }
});

test('focus identifiers pull their definitions up', async () => {
  const { index, cleanup } = await goldenIndex();
  try {
    const map = index.repoMap({ focusIdents: ['build_report'], tokenBudget: 30 });
    assert.ok(map.startsWith('scripts/report.py:\n'), map);
    assert.ok(map.includes('  2: def build_report(self, rows):\n'), map);
  } finally {
    cleanup();
  }
});

test('a name shared across languages is not a reference; within a family it is', async () => {
  const { extractSymbols } = await import('../../src/index/extract-symbols.ts');
  const { rankDefinitions } = await import('../../src/index/rank.ts');
  const files = new Map([
    ['lib.ts', { lang: 'typescript' as const, ...extractSymbols('typescript', 'export function loadSettings() {}\n') }],
    ['use.js', { lang: 'javascript' as const, ...extractSymbols('javascript', 'loadSettings();\n') }],
    ['tool.py', { lang: 'python' as const, ...extractSymbols('python', 'def run_tool():\n    return loadSettings\n') }],
  ]);
  const fromJs = rankDefinitions(files, { focusFiles: ['use.js'] });
  const fromPy = rankDefinitions(files, { focusFiles: ['tool.py'] });
  const rankOf = (r: ReturnType<typeof rankDefinitions>) => r.defs.find((d) => d.def.name === 'loadSettings')!.rank;
  assert.ok(rankOf(fromJs) > 100 * rankOf(fromPy), `${rankOf(fromJs)} vs ${rankOf(fromPy)}`);
});
