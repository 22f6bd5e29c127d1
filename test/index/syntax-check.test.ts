/**
 * checkSyntax and syntaxRegression: the syntax errors tree-sitter finds in one text (and Python's
 * indentation rules its grammar does not enforce), and whether a change adds any.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { languageIds } from '../../src/index/languages.ts';
import { checkSyntax, syntaxRegression } from '../../src/index/syntax-check.ts';
import { applyFindReplace, syntaxCases } from '../support/syntax-cases.ts';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'index');

test('the index fixtures of every language have no syntax errors', () => {
  for (const id of languageIds) {
    for (const file of readdirSync(path.join(fixtures, id, 'input'))) {
      const report = checkSyntax(file, readFileSync(path.join(fixtures, id, 'input', file), 'utf8'));
      assert.ok(report, `${id}/${file} is checked`);
      assert.equal(report.language, id);
      assert.deepEqual(report.issues, [], `${id}/${file}`);
    }
  }
});

for (const id of languageIds) {
  test(`${id}: a broken text has an error at the reported line; the valid ones have none`, () => {
    const c = syntaxCases[id];
    assert.equal(checkSyntax(c.path, c.text)?.count, 0);
    assert.equal(checkSyntax(c.path, applyFindReplace(c.text, c.fine))?.count, 0);
    const report = checkSyntax(c.path, applyFindReplace(c.text, c.breaks));
    assert.ok(report && report.count > 0, 'the broken text has errors');
    assert.equal(report.issues[0].line, c.breaks.line, JSON.stringify(report.issues));
    assert.ok(report.issues[0].endLine >= report.issues[0].line);
  });
}

test('paths without a grammar, and texts over the size bound, are not checked', () => {
  for (const file of ['README.md', 'package.json', 'notes.txt', 'ci.yml', 'Makefile', 'Dockerfile', '.env', 'x.unknown'])
    assert.equal(checkSyntax(file, 'def (:\n{'), null, file);
  assert.equal(checkSyntax('a.py', 'def (:\n', { maxBytes: 4 }), null);
  assert.equal(checkSyntax('a.py', 'é'.repeat(3), { maxBytes: 5 }), null, 'the bound is in bytes');
  assert.equal(checkSyntax('a.py', 'def (:\n', { maxBytes: 7 })?.count, 1);
  assert.equal(checkSyntax('Rakefile', 'task :x do\n')?.language, 'ruby', 'a file name in the language table');
});

test('the count is of every error; the list stops at the limit, in file order, one per place', () => {
  const text = Array.from({ length: 8 }, (_, i) => `int f${i}() { return ${i} }`).join('\n');
  const report = checkSyntax('many.c', text, { limit: 3 });
  assert.ok(report);
  assert.equal(report.count, 8);
  assert.deepEqual(
    report.issues.map((i) => [i.line, i.message]),
    [
      [1, 'missing ";"'],
      [2, 'missing ";"'],
      [3, 'missing ";"'],
    ],
  );
  assert.equal(checkSyntax('many.c', text)?.issues.length, 5, 'five by default');
});

test('columns count characters, not bytes', () => {
  const report = checkSyntax('u.js', 'const s = "héllo😀"; f(s;\n');
  assert.ok(report);
  assert.deepEqual(
    report.issues.map((i) => [i.line, i.column]),
    [[1, 25]],
  );
});

test('Python: the indentation Python refuses, and none where it is valid', () => {
  const cases: Array<[string, number[]]> = [
    ['def f(x):\n    if x:\n    return 1\n', [2]],
    ['def f(x):\n    if x:\n        return 1\n      return 2\n', [4]],
    ['def f(x):\n    y = 1\n        return y\n', [3]],
    ['  x = 1\n', [1]],
    ['x = 1; y = 2\nif x: y = 3\nelse:\n    # a comment\n    pass\n', []],
    ['def f():\n    x = (1 +\n            2)\n    return x\n', []],
    ['class A:\n  def f(self):\n        pass\n  # comment\n      # odd comment\n  def g(self): return 1\n', []],
    ['if True:\n\tx = 1\n\ty = 2\n', []],
    ['s = """\n  text\n"""\n\n@dec\ndef f():\n    """doc"""\n', []],
  ];
  for (const [text, lines] of cases)
    assert.deepEqual(
      checkSyntax('a.py', text)?.issues.map((i) => i.line),
      lines,
      JSON.stringify(text),
    );
});

test('Python: the standard library of this machine has no false indentation errors', (t) => {
  const lib = [
    '/usr/lib/python3',
    ...(existsSync('/usr/lib')
      ? readdirSync('/usr/lib')
          .filter((n) => /^python3\.\d+$/.test(n))
          .map((n) => `/usr/lib/${n}`)
      : []),
  ].find((d) => existsSync(path.join(d, 'textwrap.py')));
  if (!lib) return t.skip('no Python standard library under /usr/lib');
  const files = readdirSync(lib)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .slice(0, 60);
  assert.ok(files.length >= 30);
  for (const file of files) assert.deepEqual(checkSyntax(file, readFileSync(path.join(lib, file), 'utf8'), { maxBytes: 4 << 20 })?.issues, [], file);
});

test('syntaxRegression: null when nothing is added; the new errors first when the file had some', () => {
  const clean = 'function a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n';
  assert.equal(syntaxRegression('x.js', clean, clean.replace('return 2', 'return 3')), null);
  assert.equal(syntaxRegression('x.md', clean, '((('), null);

  const created = syntaxRegression('x.js', null, 'function (\n');
  assert.ok(created);
  assert.equal(created.added, created.issues.length);
  assert.deepEqual(created.changed, [{ from: 1, to: 2 }]);

  const oldError = clean.replace('  return 1;', '  return 1 +;');
  assert.equal(syntaxRegression('x.js', oldError, oldError.replace('return 2', 'return 3')), null, 'an edit elsewhere in a broken file');
  assert.equal(syntaxRegression('x.js', oldError, clean), null, 'a fix');
  const both = syntaxRegression('x.js', oldError, `\n\n${oldError.replace('  return 2;', '  return (2;')}`);
  assert.ok(both);
  assert.equal(both.added, 1);
  assert.deepEqual(
    both.issues.map((i) => i.line),
    [8],
    'the old error (now line 4) is not shown as new',
  );
  assert.deepEqual(both.changed, [
    { from: 1, to: 2 },
    { from: 8, to: 8 },
  ]);
  const removed = syntaxRegression('x.js', clean, clean.replace('}\n\nfunction b', '\nfunction b'));
  assert.deepEqual(removed?.changed, [{ from: 3, to: 2 }], 'a removed line: an empty block before line 3');
});
