import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Parser from 'tree-sitter';
import { walkDefinitionMatches } from '../../src/index/definition-walk.ts';
import { extractSymbols, parseText } from '../../src/index/extract-symbols.ts';
import { languageIds, languageOf, loadLanguage, type LanguageId } from '../../src/index/languages.ts';
import { patternShapes } from '../../src/index/query-shapes.ts';
import { fixturesDir } from './fixture-project.ts';

/** A match as text: pattern, then each capture's name and span. */
function matchKeys(matches: Parser.QueryMatch[]): string[] {
  const keys = matches.map((m) => `${m.pattern}:${m.captures.map((c) => `${c.name}@${c.node.startIndex}-${c.node.endIndex}`).join(',')}`);
  return [...new Set(keys)].sort();
}

/** The walk (forced on, whatever the language's setting) finds exactly what the query over the whole tree finds. */
function assertWalkMatchesQuery(lang: LanguageId, text: string, label: string): void {
  const language = loadLanguage(lang);
  const tree = parseText(lang, text);
  const walked = walkDefinitionMatches(language, tree);
  assert.ok(walked, `${lang}: the walk can be planned from the query and the grammar's node types`);
  assert.deepEqual(matchKeys(walked), matchKeys(language.definitions.matches(tree.rootNode)), label);
}

for (const id of languageIds) {
  test(`${id}: the definition walk finds what the whole-tree query finds in the fixtures`, () => {
    const dirs = [path.join(fixturesDir, id, 'input'), path.join(fixturesDir, 'golden', 'input')];
    let files = 0;
    for (const dir of dirs) {
      for (const file of readdirSync(dir, { recursive: true }) as string[]) {
        if (languageOf(file) !== id) continue;
        assertWalkMatchesQuery(id, readFileSync(path.join(dir, file), 'utf8'), file);
        files++;
      }
    }
    assert.ok(files > 0);
  });
}

const nestedPython = `
import os
LIMIT = 3
a = b = lambda x: x
handler = lambda: None

if os.name == "nt":
    class Windows:
        @staticmethod
        def open(path):
            def inner():
                return lambda: 1
            return inner

        async def close(self): ...
else:
    try:
        from fast import speed
    except ImportError:
        def speed(x):
            return [y for y in x if (z := y)]
    finally:
        cleanup = lambda: os.sync()

def outer():
    class Local:
        def method(self):
            while True:
                with open("f") as f:
                    for line in f:
                        def deep(): pass
                        break
    match LIMIT:
        case 3:
            def chosen(): pass
    call(lambda: 1, key=lambda k: k)
    result = {"a": lambda: 2}
    return Local

@decorator(arg=lambda: 0)
class Decorated(Base, metaclass=Meta):
    field = 1
    shortcut = lambda self: self.field

    @property
    def value(self):
        return self.field
`;

test('python: nested, decorated and conditional definitions are found by the walk', () => {
  assertWalkMatchesQuery('python', nestedPython, 'nested python');
  const found = extractSymbols('python', nestedPython);
  const names = (kind: string) =>
    found.defs
      .filter((d) => d.kind === kind)
      .map((d) => d.name)
      .sort();
  assert.deepEqual(names('class'), ['Decorated', 'Local', 'Windows']);
  assert.deepEqual(names('method'), ['close', 'method', 'open', 'value']);
  assert.deepEqual(names('function'), ['b', 'chosen', 'cleanup', 'deep', 'handler', 'inner', 'outer', 'shortcut', 'speed']);
  assert.deepEqual(names('constant'), ['LIMIT']);
});

test('python: a file with syntax errors gives the walk and the query the same definitions', () => {
  const broken = 'def ok():\n    pass\n\nclass Half(:\n    def inside(self):\n        return (1 +\n\ndef after(): pass\nx = lambda: (\n';
  assertWalkMatchesQuery('python', broken, 'broken python');
  assertWalkMatchesQuery('python', '', 'empty file');
  assertWalkMatchesQuery('python', '# only a comment\n', 'comment only');
});

test('pattern shapes: start types and the child types a match needs', () => {
  const shapes = patternShapes(`
    ; a comment with (parens) and "quotes"
    (function_definition name: (identifier) @name) @definition.function
    [(class name: (constant) @name) (module name: (constant) @name)] @definition.class
    (program (export_statement declaration: (lexical_declaration kind: "const" (variable_declarator) @d)))
    (field (modifiers "static" "final") type: (_) value: [(arrow) (fn)]? ; trailing comment ")"
      (#eq? @name "x")) @definition.constant
    (pair key: (string) ";" @name)
  `);
  assert.deepEqual(shapes, [
    { roots: ['function_definition'], children: [{ named: ['identifier'], anonymous: [] }] },
    { roots: ['class', 'module'], children: [] },
    { roots: ['program'], children: [{ named: ['export_statement'], anonymous: [] }] },
    { roots: ['field'], children: [{ named: ['modifiers'], anonymous: [] }] },
    {
      roots: ['pair'],
      children: [
        { named: ['string'], anonymous: [] },
        { named: [], anonymous: [';'] },
      ],
    },
  ]);
});

test('pattern shapes: patterns that do not start at a named node, or unknown syntax, give up', () => {
  assert.equal(patternShapes('(_ (identifier)) @x'), null);
  assert.equal(patternShapes('"if" @keyword'), null);
  assert.equal(patternShapes('((comment) @doc . (function_definition) @def)'), null);
  assert.equal(patternShapes('(call (MISSING identifier))'), null);
  assert.equal(patternShapes('(call'), null);
});
