/**
 * The lint table and its output readers, on output captured from the real checkers in the sandbox
 * image (pyflakes 2.5, tsc 4.8, Node 22, go 1.19, gcc/g++ 12, Ruby 3.1, shellcheck 0.9): what is
 * kept is a real mistake, what is dropped is style; the commands each language gets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settings } from '../../src/config/schema.ts';
import { checkLayer } from '../../src/config/validate.ts';
import { lintChecks, lintLanguageOf, lintLanguages, shellQuote } from '../../src/sandbox/lint-checks.ts';
import { anyDiagnostics, type LintDiagnostic } from '../../src/languages/lint-output.ts';
import { formatDiagnostic, projectPath } from '../../src/agent/checks/lint-run.ts';

const shown = (found: LintDiagnostic[]) => found.map(formatDiagnostic);

test('pyflakes: undefined names kept; unused imports and variables, placeholder-less f-strings dropped', () => {
  const output = [
    "p.py:1:1: 'os' imported but unused",
    "p.py:8:12: undefined name 'totl'",
    "p.py:11:5: local variable 'y' is assigned to but never used",
    'p.py:12:11: f-string is missing placeholders',
    "p.py:14:5: redefinition of unused 'f' from line 3",
    "p.py:20:1: 'from m import *' used; unable to detect undefined names",
    "p.py:22:9: 'x' may be undefined, or defined from star imports: m",
  ].join('\n');
  assert.deepEqual(shown(lintChecks.python.parse(output)), ["p.py:8: undefined name 'totl'", "p.py:22: 'x' may be undefined, or defined from star imports: m"]);
});

test('tsc: type errors and undefined names kept; missing packages and Node types are the environment, not the code', () => {
  const output = [
    "a.ts(1,16): error TS2307: Cannot find module 'fs' or its corresponding type declarations.",
    "a.ts(2,24): error TS2307: Cannot find module './b' or its corresponding type declarations.",
    "a.ts(6,3): error TS2322: Type 'string' is not assignable to type 'number'.",
    "a.ts(6,10): error TS2552: Cannot find name 'totl'. Did you mean 'total'?",
    "a.ts(9,13): error TS2580: Cannot find name 'process'. Do you need to install type definitions for node? Try `npm i --save-dev @types/node`.",
    "src/t.test.ts(1,1): error TS2582: Cannot find name 'describe'. Do you need to install type definitions for a test runner?",
  ].join('\n');
  assert.deepEqual(shown(lintChecks.typescript.parse(output)), [
    "a.ts:2: Cannot find module './b' or its corresponding type declarations.",
    "a.ts:6: Type 'string' is not assignable to type 'number'.",
    "a.ts:6: Cannot find name 'totl'. Did you mean 'total'?",
  ]);
  assert.deepEqual(
    lintChecks.typescript.parse("error TS5023: Unknown compiler option 'allowImportingTsExtensions'."),
    [],
    'an options error is no diagnostic (the runner reports the check as failing)',
  );
});

test('node --check: the file and line from the header, the message from the error line', () => {
  const output = [
    '/work/a.js:2',
    'let x = 2;',
    '    ^',
    '',
    "SyntaxError: Identifier 'x' has already been declared",
    '    at wrapSafe (node:internal/modules/cjs/loader:1713:18)',
    '',
    'Node.js v22.23.5',
  ].join('\n');
  const found = lintChecks.javascript.parse(output);
  assert.deepEqual(shown(found), ["/work/a.js:2: SyntaxError: Identifier 'x' has already been declared"]);
  assert.equal(projectPath(found[0].file, ['lib/a.js', 'a.js']), 'a.js', 'the sandbox path becomes the project path');
  assert.equal(projectPath('/work/lib/a.js', ['a.js', 'lib/a.js']), 'lib/a.js', 'the longest checked path that ends it');
  assert.equal(projectPath('./pkg/m.go', []), 'pkg/m.go');
});

test('gcc and g++: errors only, without the source excerpt, the notes and the -Werror tag', () => {
  const c = [
    "a.c: In function 'main':",
    "a.c:3:45: error: implicit declaration of function 'g' [-Werror=implicit-function-declaration]",
    '    3 | int main(void) { int unused; printf("%d\\n", g(2)); return y; }',
    '      |                                             ^',
    "a.c:3:59: error: 'y' undeclared (first use in this function)",
    'a.c:3:59: note: each undeclared identifier is reported only once for each function it appears in',
    "a.c:5:7: warning: unused variable 'unused' [-Wunused-variable]",
    'cc1: some warnings being treated as errors',
  ].join('\n');
  assert.deepEqual(shown(lintChecks.c.parse(c)), ["a.c:3: implicit declaration of function 'g'", "a.c:3: 'y' undeclared (first use in this function)"]);
  const cpp = [
    "a.cpp: In function 'int main()':",
    "a.cpp:2:36: error: 'class std::vector<int>' has no member named 'push'",
    '    2 | int main() { std::vector<int> v; v.push(1); return z; }',
  ].join('\n');
  assert.deepEqual(shown(lintChecks.cpp.parse(cpp)), ["a.cpp:2: 'class std::vector<int>' has no member named 'push'"]);
  assert.deepEqual(shown(lintChecks.c.parse('x.c:1:10: fatal error: missing.h: No such file or directory')), ['x.c:1: missing.h: No such file or directory']);
});

test('go vet: the compile error under its "# package" and "vet:" prefixes', () => {
  const output = [
    '# command-line-arguments',
    'vet: gt/m_test.go:5:28: undeclared name: undefinedY',
    '# example.com/app',
    './main.go:7:2: fmt.Printf format %d has arg "s" of wrong type string',
  ].join('\n');
  assert.deepEqual(shown(lintChecks.go.parse(output)), [
    'gt/m_test.go:5: undeclared name: undefinedY',
    './main.go:7: fmt.Printf format %d has arg "s" of wrong type string',
  ]);
  assert.deepEqual(lintChecks.go.parse("go: go.mod file not found in current directory or any parent directory; see 'go help modules'"), []);
});

test('ruby -wc: syntax errors and warnings that point at bugs; unused variables dropped', () => {
  const output = [
    "bad.rb:2: warning: found `= literal' in conditional, should be ==",
    'bad.rb:4: warning: assigned but unused variable - x',
    'bad.rb:5: warning: possibly useless use of == in void context',
    "bad.rb:9: syntax error, unexpected end-of-input, expecting `end'",
    'Syntax OK',
  ].join('\n');
  assert.deepEqual(shown(lintChecks.ruby.parse(output)), [
    "bad.rb:2: found `= literal' in conditional, should be ==",
    'bad.rb:5: possibly useless use of == in void context',
    "bad.rb:9: syntax error, unexpected end-of-input, expecting `end'",
  ]);
});

test('shellcheck: warnings and errors, without the severity and the SC code', () => {
  const output = [
    'b.sh:1:6: warning: foo is referenced but not assigned. [SC2154]',
    'c.sh:3:5: warning: In POSIX sh, arrays are undefined. [SC3030]',
    'c.sh:4:1: note: Double quote to prevent globbing. [SC2086]',
  ].join('\n');
  assert.deepEqual(shown(lintChecks.bash.parse(output)), ['b.sh:1: foo is referenced but not assigned.', 'c.sh:3: In POSIX sh, arrays are undefined.']);
});

test("a command from the settings is read in the common shapes (ruff's, tsc's)", () => {
  assert.deepEqual(shown(anyDiagnostics('calc.py:3:12: F821 Undefined name `totl`\nFound 1 error.')), ['calc.py:3: F821 Undefined name `totl`']);
  assert.deepEqual(shown(anyDiagnostics("a.ts(6,10): error TS2552: Cannot find name 'totl'.")), ["a.ts:6: Cannot find name 'totl'."]);
});

test('each language gets its files; TypeScript and Go read the project when it has a tsconfig.json or a go.mod', () => {
  const none = { has: () => false };
  const project = (...files: string[]) => ({ has: (f: string) => files.includes(f) });
  assert.equal(lintLanguageOf('src/app.PY'), 'python');
  assert.equal(lintLanguageOf('lib/x.mjs'), 'javascript');
  assert.equal(lintLanguageOf('ui/App.tsx'), 'typescript');
  assert.equal(lintLanguageOf('include/x.h'), undefined, 'a header may be C or C++: not guessed');
  assert.equal(lintLanguageOf('README.md'), undefined);
  assert.equal(lintLanguageOf('Makefile'), undefined);
  assert.equal(lintChecks.python.command(['a.py', 'my file.py'], none), "python3 -m pyflakes a.py 'my file.py'");
  assert.equal(shellQuote("it's.py"), `'it'\\''s.py'`);
  assert.equal(lintChecks.javascript.command(['a.js', 'b.js'], none), 'for f in a.js b.js; do node --check "$f"; done');
  assert.equal(lintChecks.typescript.command(['src/a.ts'], project('tsconfig.json')), 'tsc --noEmit --pretty false -p .');
  assert.equal(
    lintChecks.typescript.command(['src/a.ts'], project('tsconfig.json', 'node_modules/.bin/tsc')),
    'node_modules/.bin/tsc --noEmit --pretty false -p .',
    "the project's own tsc",
  );
  assert.match(lintChecks.typescript.command(['src/a.ts'], none), /^tsc --noEmit --pretty false --target es2022 .* src\/a\.ts$/);
  assert.equal(lintChecks.go.command(['main.go', 'pkg/x/y.go', 'pkg/x/z.go'], project('go.mod')), 'go vet . ./pkg/x');
  assert.equal(lintChecks.go.command(['main.go', 'pkg/x/y.go'], none), 'go vet *.go; go vet pkg/x/*.go');
  assert.equal(lintChecks.c.scope, 'files');
  assert.equal(lintChecks.go.scope, 'package');
  assert.equal(lintChecks.typescript.scope, 'project');
});

test('the table and the lint.<language> settings have the same languages; a setting takes null, false or a command', () => {
  assert.deepEqual([...lintLanguages].sort(), Object.keys(settings.lint).sort());
  checkLayer({ agent: { lint: 'off' }, lint: { python: 'ruff check {files}', bash: false, go: null } }, '.assistrc.json');
  assert.throws(
    () => checkLayer({ lint: { python: true } }, '.assistrc.json'),
    /"lint.python" must be null \(the built-in one\), false \(none\) or a command, not true/,
  );
  assert.throws(() => checkLayer({ lint: { java: false } }, '.assistrc.json'), /unknown key "lint.java". Known keys in "lint": python, javascript/);
  assert.throws(() => checkLayer({ lint: { python: 'a\nb' } }, '.assistrc.json'), /"lint.python" must be/);
});
