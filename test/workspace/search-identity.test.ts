import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchCode } from '../../src/workspace/code-search.ts';
import { findRipgrep } from '../../src/workspace/ripgrep-search.ts';
import { requiredLiteral, type SearchOptions } from '../../src/workspace/search-query.ts';
import { truncateLines } from '../../src/workspace/node-search.ts';
import { makeTrickyRepo } from './tricky-repo.ts';

const base: SearchOptions = { query: '', regex: false, caseSensitive: null, glob: null, dir: null, contextLines: 0 };
const cases: Array<Partial<SearchOptions> & { rgCannot?: boolean }> = [
  { query: 'hello' },
  { query: 'Hello' },
  { query: 'hello', caseSensitive: true },
  { query: 'HELLO', caseSensitive: false },
  { query: '(hello)' },
  { query: '$money' },
  { query: 'foo\\bar' },
  { query: 'café' },
  { query: 'CAFÉ', caseSensitive: false },
  { query: 'ünïcödé' },
  { query: '\\bhello\\b', regex: true },
  { query: '^hello', regex: true },
  { query: 'hello$', regex: true },
  { query: 'crlf$', regex: true },
  { query: 'a.b', regex: true },
  { query: 'c.fe', regex: true },
  { query: '\\d+', regex: true },
  { query: '\\w+ing', regex: true },
  { query: '\\s{3}', regex: true },
  { query: '[\\w]+\\W[\\d]', regex: true },
  { query: '\\[x\\]', regex: true },
  { query: 'hello\\$end', regex: true },
  { query: '\\/\\/ Hello', regex: true },
  { query: '(?<word>hel+o)', regex: true },
  { query: 'hello(?= world)', regex: true, rgCannot: true },
  { query: '(l)\\1', regex: true, rgCannot: true },
  { query: 'x*', regex: true },
  { query: '^', regex: true },
  { query: 'zzz-no-such-text' },
  { query: 'hello', contextLines: 1 },
  { query: 'return', contextLines: 2 },
  { query: 'hello', glob: '*.md' },
  { query: 'hello', glob: '*.nothing' },
  { query: 'after nul' },
  { query: 'big line', contextLines: 2, glob: 'late-nul.txt' },
  { query: '^$', regex: true, contextLines: 1 },
  { query: 'utf16$', regex: true },
  { query: 'caf', contextLines: 1 },
  { query: 'hello', glob: '!src/**' },
  { query: 'hello', glob: 'src/**/*.txt' },
  { query: 'hello', glob: '*.{log,c}' },
  { query: 'hello', dir: 'src' },
  { query: 'hello', dir: 'build' },
  { query: 'hello', dir: 'src/sub', contextLines: 3 },
];

test('search_code returns identical results through ripgrep and in-process on a tricky repository', async (t) => {
  if (!findRipgrep()) {
    if (process.env.CI) assert.fail('ripgrep (rg) must be installed in CI');
    t.skip('rg is not installed');
    return;
  }
  const repo = makeTrickyRepo();
  try {
    for (const c of cases) {
      const { rgCannot, ...partial } = c;
      const options = { ...base, ...partial };
      const viaRg = await searchCode(repo.root, options, 'auto');
      const inProcess = await searchCode(repo.root, options, 'node');
      const label = JSON.stringify(partial);
      assert.equal(viaRg.engine, rgCannot ? 'node' : 'ripgrep', label);
      assert.equal(inProcess.engine, 'node');
      assert.deepEqual(viaRg.lines, inProcess.lines, label);
      assert.equal(viaRg.matches, inProcess.matches, label);
      assert.equal(viaRg.matchFiles, inProcess.matchFiles, label);
      const limitedRg = await searchCode(repo.root, options, 'auto', undefined, 3);
      const limitedNode = await searchCode(repo.root, options, 'node', undefined, 3);
      assert.deepEqual(limitedRg.lines, truncateLines(viaRg.lines, 3), label);
      assert.deepEqual(limitedNode.lines, limitedRg.lines, label);
      assert.equal(limitedRg.matches, viaRg.matches, label);
    }
    const all = await searchCode(repo.root, { ...base, query: 'hello' }, 'node');
    const files = new Set(all.lines.map((l) => l.path));
    for (const hidden of [
      'src/early-nul.txt',
      '.env',
      'app.log',
      'build/out.js',
      'secrets/key.txt',
      'src/util.generated.ts',
      'src/sub/draft.md',
      'src/image.bin',
      'src/link-out.txt',
      'node_modules/pkg/index.js',
      'vendor/lib/ignored-in-lib.txt',
    ]) {
      assert.ok(!files.has(hidden), `${hidden} must not be searched`);
    }
    for (const seen of [
      'src/utf16.txt',
      'src/late-nul.txt',
      'src/latin1.txt',
      'README.md',
      'important.log',
      'src/sub/keep.log',
      'vendor/lib/x.log',
      'src/bom.txt',
      'src/crlf.txt',
      'noeol.txt',
    ]) {
      assert.ok(files.has(seen), `${seen} must be searched`);
    }
  } finally {
    repo.cleanup();
  }
});

test('requiredLiteral finds text every match must contain, or none', () => {
  assert.equal(requiredLiteral('function\\s+\\w+Node\\('), 'function');
  assert.equal(requiredLiteral('x{2}yyyy'), 'yyyy');
  assert.equal(requiredLiteral('foo(bar)?bazz'), 'bazz');
  assert.equal(requiredLiteral('a\\.bcd'), 'a.bcd');
  assert.equal(requiredLiteral('TODO|FIXME'), null);
  assert.equal(requiredLiteral('abc?'), null);
  assert.equal(requiredLiteral('[abc]+'), null);
});
