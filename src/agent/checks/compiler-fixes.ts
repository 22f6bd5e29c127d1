/**
 * What a compiler says a just-changed file is missing, written for the model: the `#include` or
 * `use` line GCC, clang and rustc name (missing-imports.ts), and a Go test file in the external
 * test package (`package clamp_test`) that calls the package's names unqualified, and a Python name
 * a file uses without importing it that one module beside it defines (py-add-test: test_slug.py
 * called `slugify` with no `from slug import slugify`; pytest said NameError), and likewise a Ruby
 * constant (`require_relative`) and a JavaScript function (`require`, js-requires.ts) a new test
 * never brings in, and the test habits of another framework (Jest's globals under node:test:
 * jest-habits.ts; Rails's under plain minitest: rails-habits.ts; fixtures pytest does not have,
 * and attributes misnamed: pytest-habits.ts; testify's in a Go module without it: testify-habits.ts),
 * a Go standard package used without its import, a variable declared twice (redeclared.ts), and a
 * name misspelt that the error suggests another for (did-you-mean.ts).
 * Small models forget these, and then rewrite the file around the error without seeing it: in the eval
 * go-add-test's model wrote `package clamp_test`, read "undefined: Clamp" three times and each
 * time rewrote the test cases.
 *
 * Only lines the compiler's words determine are changed; anything that needs judgement stays with
 * the model.
 */
import path from 'node:path';
import { languageOf } from '../../index/languages.ts';
import { missingImports, namesFile, withImports } from './missing-imports.ts';
import { destructuredRequire, installedFrameworks, nodeTestFix } from '../test-writing/jest-habits.ts';
import { minitestFix } from '../test-writing/rails-habits.ts';
import { missingRequires, notDefinedNames } from '../test-writing/js-requires.ts';
import { isTestPath } from '../../languages/test-files.ts';
import { escapeRegex } from '../../workspace/search-query.ts';
import { besideHelpers } from '../test-writing/beside-helpers.ts';
import { pytestFix } from '../test-writing/pytest-habits.ts';
import { withGoImports, withoutGoImports } from './go-imports.ts';
import { testifyFix } from '../test-writing/testify-habits.ts';
import { asAssignments } from './redeclared.ts';
import { withSuggestedNames } from './did-you-mean.ts';

/** A Go test file (go test's own rule: the name ends in _test). */
const goTest = /_test\.go$/;

/** A file's new text and what was changed, in words. */
export interface CompilerFix {
  path: string;
  text: string;
  what: string;
}

/** `./clamp_test.go:22:14: undefined: Clamp` (go build, go test), `clamp_test.go:22: undeclared name: Clamp` (go vet). */
const goUndefined = /^\s*(\S+_test\.go):\d+(?::\d+)?: (?:undefined|undeclared name): (\w+)/gm;

/** `test/test_slug.rb:1:in 'require_relative': cannot load such file -- /work/slug (LoadError)` (either quote before require_relative) */
const rubyLoadError = /^(\S+\.rb):\d+:in [`'‘]require_relative'?: cannot load such file -- (\S+) \(LoadError\)/gm;

/** `clamp_test.go:5:2: no required module provides package github.com/example.com/clamp; to add it:` (go test, go vet) */
const goNoModule = /^\s*(\S+_test\.go):\d+(?::\d+)?: no required module provides package ([\w./-]+);/gm;

/** `./reverse.go:4:2: imported and not used: "fmt"`, `"strings" imported as str and not used`, `"fmt" imported but not used` (go vet). */
const goUnused = /^\s*(\S+\.go):(\d+)(?::\d+)?: (?:imported and not used: "([^"]+)"|"([^"]+)" imported(?: as \w+)? (?:and|but) not used)/gm;

/** `./clamp_test.go:25:10: undefined: fmt` for any Go file: a standard package used without its import. */
const goUndefinedAny = /^\s*(\S+\.go):\d+(?::\d+)?: (?:undefined|undeclared name): (\w+)/gm;

/** Go standard packages a body often uses without importing them, by the name code calls them by. */
const goStdPackages: Record<string, string> = Object.fromEntries([
  ...'fmt strings strconv errors sort math os time reflect bytes unicode regexp bufio io sync slices maps context log path'.split(' ').map((p) => [p, p]),
  ...Object.entries({ filepath: 'path/filepath', utf8: 'unicode/utf8', json: 'encoding/json', rand: 'math/rand', big: 'math/big', atomic: 'sync/atomic' }),
]);

/** Whether Go source `text` declares `name` at the top level (alone or in a `var (…)` group). */
function goDeclares(text: string, name: string): boolean {
  if (new RegExp(`^(func\\s+(\\([^)]*\\)\\s*)?|type\\s+|var\\s+|const\\s+)${name}\\b`, 'm').test(text)) return true;
  for (const group of text.matchAll(/^(?:type|var|const)\s*\(([^)]*)\)/gm)) {
    if (new RegExp(`^\\s+${name}\\b`, 'm').test(group[1])) return true;
  }
  return false;
}

/**
 * The fixes `output` (a failed build or test run) asks for in `changed` files. `read` gives a
 * project file's text (undefined when it cannot be read); `list` the files of a project folder
 * ('.' for the top), as project paths.
 */
export async function compilerFixes(
  output: string,
  changed: readonly string[],
  read: (file: string) => Promise<string | undefined>,
  list: (dir: string) => Promise<readonly string[]>,
  project: { definer?: ProjectDefiner; files?: () => readonly string[] } = {},
): Promise<CompilerFix[]> {
  const { definer } = project;
  const fixes = new Map<string, CompilerFix>();
  const current = async (file: string) => fixes.get(file)?.text ?? (await read(file));
  const note = (file: string, text: string, what: string) => {
    const before = fixes.get(file);
    fixes.set(file, { path: file, text, what: before ? `${before.what}; ${what}` : what });
  };

  const named = missingImports(output);
  for (const file of changed) {
    const wanted = named.filter((m) => namesFile(m.file, file)).map((m) => m.line);
    if (wanted.length === 0) continue;
    const text = await current(file);
    if (text === undefined) continue;
    const added = withImports(text, wanted);
    if (added.added > 0) note(file, added.text, `added ${wanted.map((l) => `\`${l}\``).join(', ')}, which the compiler named`);
  }

  const unusedIn = new Map<string, Array<{ line: number; path: string }>>();
  for (const m of output.matchAll(goUnused)) {
    const file = changed.find((f) => languageOf(f) === 'go' && namesFile(m[1], f));
    if (file) unusedIn.set(file, [...(unusedIn.get(file) ?? []), { line: Number(m[2]), path: m[3] ?? m[4] }]);
  }
  for (const [file, unused] of unusedIn) {
    const text = await current(file);
    if (text === undefined) continue;
    const after = withoutGoImports(text, unused);
    const paths = [...new Set(unused.map((u) => `"${u.path}"`))].join(', ');
    if (after !== text) note(file, after, `removed the import of ${paths}, which the compiler says is not used`);
  }

  // Go: testify's assertions in a module that does not have it (testify-habits.ts)
  for (const file of changed) {
    if (!goTest.test(file) || !output.includes(path.posix.basename(file))) continue;
    const text = await current(file);
    const fixed = text === undefined ? undefined : testifyFix(text, output, await read('go.mod'));
    if (fixed) note(file, fixed.text, fixed.what);
  }
  // Go: a standard package used as `fmt.Sprintf` with no import of it (go-add-test's sample wrote `fmt.Sprintf` in a file importing only "testing")
  const stdIn = new Map<string, Set<string>>();
  for (const m of output.matchAll(goUndefinedAny)) {
    const file = changed.find((f) => languageOf(f) === 'go' && namesFile(m[1], f));
    if (file && Object.hasOwn(goStdPackages, m[2])) stdIn.set(file, (stdIn.get(file) ?? new Set()).add(m[2]));
  }
  for (const [file, names] of stdIn) {
    const text = await current(file);
    // (only a name the file uses as a package: `fmt.` before a name; the compiler says nothing declares it)
    const used = [...names].filter((name) => text && new RegExp(`(^|[^\\w.])${name}\\.[A-Za-z]`, 'm').test(text));
    if (!text || used.length === 0) continue;
    const after = withGoImports(
      text,
      used.map((name) => goStdPackages[name]),
    );
    if (after !== text) note(file, after, `imported ${used.map((name) => `"${goStdPackages[name]}"`).join(', ')}, which the file uses without importing`);
  }

  const undefinedIn = new Map<string, Set<string>>();
  for (const m of output.matchAll(goUndefined)) {
    const file = changed.find((f) => goTest.test(f) && namesFile(m[1], f));
    // (a standard package is imported above, not looked for in the package)
    if (file && !stdIn.get(file)?.has(m[2])) undefinedIn.set(file, (undefinedIn.get(file) ?? new Set()).add(m[2]));
  }
  if (undefinedIn.size > 0) {
    for (const [file, names] of undefinedIn) {
      const text = await current(file);
      const clause = text && /^package (\w+)_test[ \t]*$/m.exec(text);
      if (!text || !clause) continue;
      const pkg = clause[1];
      // importing the package itself from an internal test would be a cycle: that file is left to the model
      if (new RegExp(`"[^"]*/${pkg}"`).test(text)) continue;
      const dir = path.posix.dirname(file);
      const siblings = (await list(dir)).filter((f) => languageOf(f) === 'go' && !goTest.test(f));
      let declares = false;
      for (const sibling of siblings) {
        const source = await read(sibling);
        if (source && new RegExp(`^package ${pkg}\\b`, 'm').test(source) && [...names].some((name) => goDeclares(source, name))) declares = true;
      }
      if (!declares) continue;
      note(
        file,
        text.replace(clause[0], `package ${pkg}`),
        `\`package ${pkg}_test\` became \`package ${pkg}\`, so the test sees ${[...names].join(', ')} of package ${pkg} unqualified`,
      );
    }
  }
  // Go: an external test importing its own package by a path the module does not have
  // (go-add-test: "github.com/example.com/clamp" in module example.com/clamp)
  for (const m of output.matchAll(goNoModule)) {
    const file = changed.find((f) => goTest.test(f) && namesFile(m[1], f));
    const text = file && (await current(file));
    if (!file || !text || !text.includes(`"${m[2]}"`)) continue;
    const module = /^module\s+(\S+)/m.exec((await read('go.mod')) ?? '')?.[1];
    if (!module) continue;
    const dir = path.posix.dirname(file);
    let pkg: string | undefined;
    for (const sibling of (await list(dir)).filter((f) => languageOf(f) === 'go' && !goTest.test(f)))
      pkg ??= /^package (\w+)/m.exec((await read(sibling)) ?? '')?.[1];
    const own = dir === '.' ? module : `${module}/${dir}`;
    const last = m[2].split('/').pop();
    if (!pkg || (last !== pkg && last !== own.split('/').pop()) || m[2] === own) continue;
    note(
      file,
      text.replaceAll(`"${m[2]}"`, `"${own}"`),
      `imported its package as "${own}" (the module's path for ${dir === '.' ? 'its top folder' : dir}), not "${m[2]}"`,
    );
  }
  // Ruby: `require_relative '../slug'` of a file the project has elsewhere (lib/slug.rb), the one of that name
  for (const m of output.matchAll(rubyLoadError)) {
    const file = changed.find((f) => languageOf(f) === 'ruby' && namesFile(m[1], f));
    const text = file && (await current(file));
    if (!file || !text) continue;
    const stem = (m[2].split('/').pop() ?? '').replace(/\.rb$/, '');
    const matches = (project.files?.() ?? []).filter((f) => !isTestPath(f) && f.split('/').pop() === `${stem}.rb`);
    if (matches.length !== 1) continue;
    let relative = path.posix.relative(path.posix.dirname(file), matches[0]).replace(/\.rb$/, '');
    if (!relative.startsWith('.')) relative = `./${relative}`;
    const line = new RegExp(`^(\\s*require_relative\\s*\\(?\\s*)(['"])([^'"]*\\b${stem}(?:\\.rb)?)\\2`, 'm').exec(text);
    if (!line || line[3] === relative) continue;
    note(file, text.replace(line[0], `${line[1]}${line[2]}${relative}${line[2]}`), `required ${matches[0]} as \`require_relative '${relative}'\`, where it is`);
  }
  // Ruby: minitest's old name, `MiniTest`, which minitest 5.19 and later no longer define (the 1.5B model
  // writes `class SlugTest < MiniTest::Test` as often as not): the constant's name now
  if (/uninitialized constant MiniTest\b/.test(output))
    for (const file of changed.filter((f) => languageOf(f) === 'ruby')) {
      const text = await current(file);
      if (text?.includes('MiniTest::'))
        note(file, text.replaceAll('MiniTest::', 'Minitest::'), '`Minitest::` for `MiniTest::`, the name minitest no longer defines');
    }
  // Ruby: Rails's test habits in a project of plain minitest (rails-habits.ts)
  for (const file of changed) {
    if (languageOf(file) !== 'ruby' || !isTestPath(file) || !output.includes(path.posix.basename(file))) continue;
    const text = await current(file);
    if (text === undefined) continue;
    const files = project.files?.() ?? (await list(path.posix.dirname(file)));
    const fixed = minitestFix(
      text,
      output,
      files.some((f) => path.posix.basename(f) === 'test_helper.rb'),
      await read('Gemfile'),
    );
    if (fixed) note(file, fixed.text, fixed.what);
  }
  // Ruby: a constant a changed test file uses and never requires, defined by the one project file that defines it
  // (ruby-add-test-slug: `Slug.slugify` with lib/slug.rb never required: "uninitialized constant SlugTest::Slug")
  for (const m of new Set([...output.matchAll(/uninitialized constant (?:\w+::)*([A-Z]\w*)/g)].map((c) => c[1]))) {
    const file = changed.find((f) => languageOf(f) === 'ruby' && isTestPath(f) && output.includes(path.posix.basename(f)));
    const text = file && (await current(file));
    const defined = definer?.(m, 'ruby');
    if (!file || !text || !defined) continue;
    let relative = path.posix.relative(path.posix.dirname(file), defined).replace(/\.rb$/, '');
    if (!relative.startsWith('.')) relative = `./${relative}`;
    const stem = path.posix.basename(relative);
    if (new RegExp(`^\\s*require(?:_relative)?\\s*\\(?\\s*['"][^'"]*\\b${stem}(?:\\.rb)?['"]`, 'm').test(text)) continue;
    const added = withImports(text, [`require_relative '${relative}'`]);
    note(file, added.text, `required ${defined} (\`require_relative '${relative}'\`), which defines ${m}`);
  }
  // JavaScript: Jest's globals in a test file node:test runs (jest-habits.ts)
  if (/\bis not (defined|a function)\b/.test(output)) {
    for (const file of changed) {
      if (!['javascript', 'typescript', 'tsx'].includes(languageOf(file) ?? '') || !isTestPath(file)) continue;
      if (!output.includes(path.posix.basename(file))) continue;
      const text = await current(file);
      if (text === undefined) continue;
      const fixed = nodeTestFix(file, text, output, await installedFrameworks(read));
      if (fixed) note(file, fixed.text, fixed.what);
      const sources = new Map<string, string | undefined>();
      for (const spec of (fixed?.text ?? text).matchAll(/require\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
        const base = path.posix.join(path.posix.dirname(file), spec[1]);
        let source: string | undefined;
        for (const candidate of [base, `${base}.js`, `${base}.cjs`, `${base}/index.js`]) source ??= await read(candidate);
        sources.set(spec[1], source);
      }
      const required = destructuredRequire(fixed?.text ?? text, output, (spec) => sources.get(spec));
      if (required) note(file, required.text, required.what);
      // a function of the project the test calls and never brings in (js-requires.ts)
      if (languageOf(file) !== 'javascript' || !/\bis not defined\b/.test(output)) continue;
      const modules: Array<{ path: string; source: string }> = [];
      for (const name of notDefinedNames(output)) {
        const defined = definer?.(name, 'javascript');
        const source = defined && defined !== file ? await read(defined) : undefined;
        if (defined && source !== undefined && !modules.some((m) => m.path === defined)) modules.push({ path: defined, source });
      }
      const brought = missingRequires(file, (await current(file)) ?? text, output, modules);
      if (brought) note(file, brought.text, brought.what);
    }
  }
  // an ES module: names a test file uses and neither imports nor defines, taken as a test beside it imports
  // them, else from the one project module defining them, else copied from a test beside it that defines them
  const esNames = notDefinedNames(output);
  const esTests = esNames.length ? changed.filter((f) => isTestPath(f) && ['javascript', 'typescript'].includes(languageOf(f) ?? '')) : [];
  for (const file of esTests) {
    const text = await current(file);
    if (text === undefined || !/^\s*import\s/m.test(text)) continue;
    const beside = (await list(path.posix.dirname(file))).filter((f) => f !== file && isTestPath(f) && languageOf(f) === languageOf(file));
    // (node names one undefined name a run: the test's other calls of names it neither imports nor
    // defines are looked up too, or a test needing four took four runs and was left out before the last)
    const wanted = [...new Set([...esNames, ...unboundCalls(text)])];
    // (each neighbour read once, whatever the number of names)
    const sources: Array<{ path: string; source: string }> = [];
    for (const f of beside) {
      const source = await read(f);
      if (source !== undefined) sources.push({ path: f, source });
    }
    const { lines, names: imported } = besideImports(
      text,
      wanted,
      sources.map((s) => s.source),
    );
    // a helper a test beside it defines for itself (beside-helpers.ts): copied in after the imports
    const helpers = besideHelpers(
      wanted.filter((name) => !imported.has(name) && !definesName(text, name)),
      sources,
    );
    // what is left, defined by one module of the project (the code under test: ts-add-test-availability's
    // head imported nothing, and freeSlots was "not defined"): imported from it, as the neighbours write imports
    const language = languageOf(file) ?? '';
    const bySpec = new Map<string, string[]>();
    for (const name of wanted) {
      if (imported.has(name) || helpers.some((h) => h.name === name) || definesName(text, name)) continue;
      const defined = definer?.(name, language);
      if (!defined || defined === file || isTestPath(defined)) continue;
      const spec = relativeSpec(
        file,
        defined,
        sources.map((s) => s.source),
      );
      bySpec.set(spec, [...(bySpec.get(spec) ?? []), name]);
    }
    const own = [...bySpec].map(([spec, names]) => `import { ${names.join(', ')} } from '${spec}';`);
    const what = [
      ...(lines.length ? [`added ${lines.map((l) => `\`${l}\``).join(', ')}: a test beside it imports the same, and this one used it without an import`] : []),
      ...(own.length ? [`added ${own.map((l) => `\`${l}\``).join(', ')}: the project defines it there, and this test used it without an import`] : []),
      ...(helpers.length
        ? [
            `copied ${helpers.map((h) => `\`${h.name}\` from ${h.from}`).join(', ')}: a helper the test beside it defines for itself, used here without a definition`,
          ]
        : []),
    ];
    if (what.length > 0) note(file, withEsImports(text, [...lines, ...own, ...(helpers.length ? ['', ...helpers.map((h) => h.text)] : [])]), what.join('; '));
  }

  // Python: a name a changed file uses and never imports, defined by a module beside it
  const pyUndefined = new Map<string, Set<string>>();
  const addUndefined = (where: string, name: string) => {
    const file = changed.find((f) => languageOf(f) === 'python' && namesFile(where, f));
    if (file) pyUndefined.set(file, (pyUndefined.get(file) ?? new Set()).add(name));
  };
  for (const m of output.matchAll(pyflakesUndefined)) addUndefined(m[1], m[2]);
  const nameErrors = [...output.matchAll(/NameError: name '(\w+)' is not defined/g)].map((m) => m[1]);
  if (nameErrors.length > 0)
    for (const m of output.matchAll(/^(\S+\.py):\d+: NameError$|^\s*File "([^"]+\.py)", line \d+/gm))
      for (const name of nameErrors) addUndefined(m[1] ?? m[2], name);
  for (const [file, names] of pyUndefined) {
    const text = await current(file);
    if (text === undefined) continue;
    const dir = path.posix.dirname(file);
    const siblings: Array<{ path: string; source: string | undefined }> = [];
    const beside = await list(dir);
    for (const sibling of beside.filter((f) => languageOf(f) === 'python' && f !== file)) siblings.push({ path: sibling, source: await read(sibling) });
    const inPackage = dir !== '.' && beside.some((f) => path.posix.basename(f) === '__init__.py');
    const lines: string[] = [];
    for (const name of names) {
      if (new RegExp(`^\\s*(from\\s+\\S+\\s+)?import\\b.*\\b${name}\\b`, 'm').test(text)) continue;
      const defines = new RegExp(`^(?:async\\s+)?def ${name}\\b|^class ${name}\\b|^${name}\\s*=`, 'm');
      const definers = siblings.filter(({ source }) => source !== undefined && defines.test(source)).map(({ path: p }) => p);
      // one module beside it defines it: that is the import; else the one project module that does (the index),
      // else the standard module that always does (`date`); several, or none, is the model's to choose
      // (in a package the module goes by its whole path: `from http import Response` in tally/api/ is the standard
      // library's http, and pyapp-fix-page-count's pagination.py failed to import with it)
      if (definers.length === 1)
        lines.push(`from ${inPackage ? pythonModule(definers[0]) : path.posix.basename(definers[0]).replace(/\.py$/, '')} import ${name}`);
      else if (definers.length === 0) {
        const elsewhere = definer?.(name, 'python');
        if (elsewhere) lines.push(`from ${pythonModule(elsewhere)} import ${name}`);
        else if (pythonStandard[name] && !definer?.(name, 'python', true)) lines.push(pythonStandard[name]);
      }
    }
    if (lines.length === 0) continue;
    note(file, withPythonImports(text, lines), `added ${lines.map((l) => `\`${l}\``).join(', ')}: defined there, used here without an import`);
  }

  // a variable declared twice in one scope, which javac, gcc and go refuse: the second an assignment (redeclared.ts)
  if (/is already defined in|error: re(?:definition|declaration) of|no new variables on left side of :=/.test(output))
    for (const file of changed) {
      const text = await current(file);
      const fixed = text === undefined ? undefined : asAssignments(file, text, output);
      if (fixed) note(file, fixed.text, fixed.what);
    }

  // a name misspelt that the error suggests another for (did-you-mean.ts), when nothing above was
  // missing (a name a missing include left undeclared gets a wrong suggestion)
  if (fixes.size === 0)
    for (const file of changed) {
      const text = await read(file);
      const fixed = text === undefined ? undefined : withSuggestedNames(file, text, output);
      if (fixed) note(file, fixed.text, fixed.what);
    }

  // pytest: a fixture the project does not have, made in the test; an attribute misnamed (pytest-habits.ts)
  if (/fixture '\w+' not found|AttributeError: '\w+' object has no attribute/.test(output))
    for (const file of changed.filter((f) => languageOf(f) === 'python' && isTestPath(f))) {
      const text = await current(file);
      if (text === undefined) continue;
      const classSource = async (name: string) => {
        if (new RegExp(`^\\s*class\\s+${name}\\b`, 'm').test(text)) return text;
        const where = definer?.(name, 'python');
        return where ? read(where) : undefined;
      };
      const fixed = await pytestFix(file, text, output, classSource);
      if (fixed) note(file, fixed.text, fixed.what);
    }
  return [...fixes.values()];
}

/**
 * Import lines for `names` that `text` uses without importing, as a test file beside it (`sources`,
 * the same folder, so its relative paths hold) imports each: `import { testContext } from './helpers.ts';`
 * (ts-add-test-availability: a new test of roombook called testContext(), which its neighbours
 * import from test/helpers.ts; node said "testContext is not defined"), or a default import whole
 * (`import assert from 'node:assert/strict';`). Names of one module go in one line. With the names
 * they import.
 */
function besideImports(text: string, names: readonly string[], sources: readonly string[]): { lines: string[]; names: Set<string> } {
  const bySpec = new Map<string, string[]>();
  const wholeLines: string[] = [];
  const found = new Set<string>();
  for (const name of names) {
    if (new RegExp(`^\\s*import\\b[^;]*[{,\\s]${escapeRegex(name)}[\\s,}]`, 'm').test(text)) continue;
    for (const source of sources) {
      // (a default or namespace import, from any module: `import assert from 'node:assert/strict';`)
      const whole = new RegExp(`^\\s*import\\s+(?:\\*\\s+as\\s+)?${escapeRegex(name)}\\s+from\\s*(['"])[^'"]+\\1;?[ \\t]*$`, 'm').exec(source);
      if (whole) {
        wholeLines.push(whole[0].trim());
        found.add(name);
        break;
      }
      const m = new RegExp(`^\\s*import\\s*\\{[^}]*(?<![\\w$])${escapeRegex(name)}(?![\\w$])[^}]*\\}\\s*from\\s*(['"])(\\.{1,2}\\/[^'"]+)\\1`, 'm').exec(
        source,
      );
      if (!m) continue;
      bySpec.set(m[2], [...(bySpec.get(m[2]) ?? []), name]);
      found.add(name);
      break;
    }
  }
  return { lines: [...wholeLines, ...[...bySpec].map(([spec, wanted]) => `import { ${wanted.join(', ')} } from '${spec}';`)], names: found };
}

/** Words that call like a function and are none. */
const notCalls = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'typeof', 'await', 'async', 'super', 'import', 'require']);

/** Whether `text` defines `name` at the start of a line (`const name`, `function name`, `class name`). */
function definesName(text: string, name: string): boolean {
  return new RegExp(`^\\s*(?:export\\s+)?(?:const|let|var|function\\*?|async\\s+function|class)\\s+${escapeRegex(name)}\\b`, 'm').test(text);
}

/**
 * Names \`text\` calls (\`name(\`) or calls a member of (\`assert.equal(\`), that it neither defines nor
 * imports, and uses only so: a name that also stands alone (\`const { add } = setup()\`, \`(add) =>\`) is
 * bound there, and an import of it would clash.
 */
function unboundCalls(text: string): string[] {
  // (a call, `name(`, or a call of a member, `assert.equal(`)
  const called = [...text.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?:\(|\.[A-Za-z_$][\w$]*\s*\()/g)].map((m) => m[1]);
  const importedNames = new Set(
    [...text.matchAll(/^\s*import\s*(?:type\s*)?\{([^}]*)\}/gm)].flatMap((m) =>
      m[1].split(',').map(
        (n) =>
          n
            .trim()
            .split(/\s+as\s+/)
            .pop()!,
      ),
    ),
  );
  const onlyCalled = (name: string) =>
    [...text.matchAll(new RegExp(`(?<![\\w$.])${escapeRegex(name)}(?![\\w$])`, 'g'))].every((m) => /^\s*[(.]/.test(text.slice((m.index ?? 0) + name.length)));
  return [...new Set(called)].filter((name) => !notCalls.has(name) && !importedNames.has(name) && !definesName(text, name) && onlyCalled(name));
}

/**
 * The import path of `to` from `from`, written as the neighbours' relative imports are (`sources`):
 * with the extension they write (the file's own, the ES-module habit's for TypeScript), or none.
 */
function relativeSpec(from: string, to: string, sources: readonly string[]): string {
  let spec = path.posix.relative(path.posix.dirname(from), to);
  if (!spec.startsWith('.')) spec = `./${spec}`;
  const specs = sources.flatMap((source) => [...source.matchAll(/\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]));
  if (specs.length === 0) return spec;
  // (the extension the neighbours write: none, the file's own, or another, as the ES-module habit has for TypeScript)
  const written = path.posix.extname(specs[0]);
  return written === path.posix.extname(to) ? spec : spec.slice(0, spec.length - path.posix.extname(spec).length) + written;
}

/** `text` with `lines` after its last import line. */
function withEsImports(text: string, lines: readonly string[]): string {
  const all = text.split('\n');
  let last = -1;
  all.forEach((line, i) => {
    if (/^\s*import\s.*from\s*['"][^'"]+['"];?\s*$|^\s*import\s*['"][^'"]+['"];?\s*$/.test(line)) last = i;
  });
  return [...all.slice(0, last + 1), ...lines, ...all.slice(last + 1)].join('\n');
}

/**
 * The one project file (not a test) that defines `name` at its top level in `language`, or
 * undefined when none or several do; `any`: whether any project file defines it at all.
 */
export type ProjectDefiner = (name: string, language: string, any?: boolean) => string | undefined;

/** Names tests use from Python's standard library, and their import (`date` in a test of dated entries). */
const pythonStandard: Record<string, string> = {
  date: 'from datetime import date',
  datetime: 'from datetime import datetime',
  timedelta: 'from datetime import timedelta',
  Path: 'from pathlib import Path',
  Decimal: 'from decimal import Decimal',
  pytest: 'import pytest',
  re: 'import re',
  json: 'import json',
  os: 'import os',
  sys: 'import sys',
  math: 'import math',
  io: 'import io',
  csv: 'import csv',
  sqlite3: 'import sqlite3',
};

/** The Python module path of project file `file` (`tally/db/entries.py` → tally.db.entries; a leading `src/` is the layout, not a package). */
export function pythonModule(file: string): string {
  const parts = file.replace(/\.py$/, '').split('/');
  if (parts[0] === 'src' && parts.length > 1) parts.shift();
  return parts.join('.');
}

/** `test_slug.py:2:12: undefined name 'slugify'` (pyflakes, with or without the column). */
const pyflakesUndefined = /^(\S+\.py):\d+(?::\d+)?:? undefined name '(\w+)'/gm;

/** Python `text` with `imports` after its last top-level import, else after a leading docstring or shebang, else first. */
export function withPythonImports(text: string, imports: readonly string[]): string {
  const lines = text.split('\n');
  let at = -1;
  for (let i = 0; i < lines.length; i++) if (/^(import|from)\s/.test(lines[i])) at = i;
  if (at < 0 && lines[0]?.startsWith('#!')) at = 0;
  if (at < 0) {
    const open = /^[rbu]?("""|''')/.exec(lines[0] ?? '');
    if (open) at = lines[0].indexOf(open[1], open[0].length) >= 0 ? 0 : lines.findIndex((l, i) => i > 0 && l.includes(open[1]));
  }
  lines.splice(at + 1, 0, ...imports);
  return lines.join('\n');
}
