import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extractSymbols } from '../../src/index/extract-symbols.ts';
import { languageIds, languageOf, loadLanguage } from '../../src/index/languages.ts';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'index');

test('every language has a fixture repository', () => {
  for (const id of languageIds) assert.ok(readdirSync(path.join(fixtures, id, 'input')).length > 0, `fixture for ${id}`);
  assert.ok(languageIds.length >= 13);
});

for (const id of languageIds) {
  test(`${id}: every expected definition is found with its kind and line`, () => {
    loadLanguage(id);
    const expected = JSON.parse(readFileSync(path.join(fixtures, id, 'expected.json'), 'utf8')) as Record<
      string,
      Array<{ name: string; kind: string; line: number }>
    >;
    assert.ok(Object.keys(expected).length > 0);
    for (const [file, defs] of Object.entries(expected)) {
      assert.equal(languageOf(file), id, `${file} is detected as ${id}`);
      const found = extractSymbols(id, readFileSync(path.join(fixtures, id, 'input', file), 'utf8'));
      assert.equal(found.note, undefined, `${file} parses cleanly`);
      assert.ok(defs.length >= 4, `${file} expects a real set of definitions`);
      for (const def of defs) {
        const match = found.defs.find((d) => d.name === def.name && d.line === def.line);
        assert.ok(
          match,
          `${file}: ${def.kind} ${def.name} at line ${def.line} was not found; got ${JSON.stringify(found.defs.map((d) => `${d.name}@${d.line}`))}`,
        );
        assert.equal(match.kind, def.kind, `${file}: kind of ${def.name} at line ${def.line}`);
        assert.ok(match.endLine >= match.line);
        assert.ok(match.signature.includes(def.name.replace(/^.*\\/, '')), `${file}: signature of ${def.name} shows the name: ${match.signature}`);
      }
    }
  });
}

test('files of other languages are listed without a language', () => {
  assert.equal(languageOf('README.md'), null);
  assert.equal(languageOf('Makefile'), null);
  assert.equal(languageOf('a/b/Rakefile'), 'ruby');
  assert.equal(languageOf('x.d.ts'), 'typescript');
  assert.equal(languageOf('X.TSX'), 'tsx');
});

test('a file with syntax errors still yields the definitions that parsed', () => {
  const text = [
    'export function before(a: number): number {',
    '  return a;',
    '}',
    '',
    'export function broken(a: number {',
    '  return (a + ;',
    '}',
    '',
    'export class After {',
    '  method(): void {}',
    '}',
    '',
  ].join('\n');
  const found = extractSymbols('typescript', text);
  assert.match(found.note ?? '', /syntax errors/);
  const names = found.defs.map((d) => d.name);
  assert.ok(names.includes('before'), names.join(','));
  assert.ok(names.includes('After'), names.join(','));
  assert.equal(found.defs.find((d) => d.name === 'After')?.line, 9);
});

test('tokens skip reserved words and count uses', () => {
  const found = extractSymbols('python', 'def go(x):\n    return helper(x) + helper(x)\n');
  const index = found.tokens.indexOf('helper');
  assert.ok(index >= 0);
  assert.equal(found.counts[index], 2);
  assert.ok(!found.tokens.includes('def'));
  assert.ok(!found.tokens.includes('return'));
});
