/**
 * What a compiler names for a file the model just changed is written for it: the include a
 * build asks for, and a Go test in the external test package that calls its package unqualified.
 * The agent loop runs on a scripted model (only the loop is under test) in a real Go project, with
 * the tests run in the real sandbox.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { compilerFixes } from '../../../src/agent/checks/compiler-fixes.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: `I use ${tool}.`, tool, args });

const clamp =
  'package clamp\n\n// Clamp limits v to the range [lo, hi].\nfunc Clamp(v, lo, hi int) int {\n\tif v < lo {\n\t\treturn lo\n\t}\n\tif v > hi {\n\t\treturn hi\n\t}\n\treturn v\n}\n';
const externalTest =
  'package clamp_test\n\nimport "testing"\n\nfunc TestClamp(t *testing.T) {\n\tif got := Clamp(-1, 0, 10); got != 0 {\n\t\tt.Errorf("Clamp(-1, 0, 10) = %d", got)\n\t}\n}\n';
const goOutput = '# example.com/clamp_test [example.com/clamp.test]\n./clamp_test.go:6:12: undefined: Clamp\nFAIL\texample.com/clamp [build failed]\n';

function files(tree: Record<string, string>) {
  return {
    read: async (file: string) => tree[file],
    list: async (dir: string) => Object.keys(tree).filter((f) => path.posix.dirname(f) === dir),
  };
}

test('a Go test in the external test package that calls its package unqualified becomes an internal test; nothing else is guessed', async () => {
  const tree = files({ 'clamp.go': clamp, 'clamp_test.go': externalTest, 'go.mod': 'module example.com/clamp\n\ngo 1.21\n' });
  const [fix, ...more] = await compilerFixes(goOutput, ['clamp_test.go'], tree.read, tree.list);
  assert.equal(more.length, 0);
  assert.equal(fix.path, 'clamp_test.go');
  assert.equal(fix.text, externalTest.replace('package clamp_test', 'package clamp'));
  assert.match(fix.what, /`package clamp_test` became `package clamp`.*Clamp/);
  // go vet's words, in a folder
  const nested = files({ 'pkg/clamp/clamp.go': clamp, 'pkg/clamp/clamp_test.go': externalTest });
  const vet = 'pkg/clamp/clamp_test.go:6: undeclared name: Clamp\n';
  assert.equal((await compilerFixes(vet, ['pkg/clamp/clamp_test.go'], nested.read, nested.list)).length, 1);

  // a name the package does not declare, a test that imports its package, a file the model did not change: left alone
  const missing = files({ 'clamp.go': clamp.replace(/Clamp/g, 'Limit'), 'clamp_test.go': externalTest });
  assert.deepEqual(await compilerFixes(goOutput, ['clamp_test.go'], missing.read, missing.list), []);
  const importing = externalTest.replace('import "testing"', 'import (\n\t"testing"\n\n\t"example.com/clamp"\n)');
  const cycle = files({ 'clamp.go': clamp, 'clamp_test.go': importing });
  assert.deepEqual(await compilerFixes(goOutput, ['clamp_test.go'], cycle.read, cycle.list), []);
  assert.deepEqual(await compilerFixes(goOutput, ['clamp.go'], tree.read, tree.list), []);
  // a name declared in a var group counts
  const grouped = files({ 'clamp.go': 'package clamp\n\nvar (\n\tClamp = func(v, lo, hi int) int { return v }\n)\n', 'clamp_test.go': externalTest });
  assert.equal((await compilerFixes(goOutput, ['clamp_test.go'], grouped.read, grouped.list)).length, 1);
});

test('a Go import the compiler says is not used is removed, and a group it leaves empty goes too', async () => {
  const reverse = 'package strutil\n\nimport (\n\t"fmt"\n)\n\n// Reverse returns s reversed.\nfunc Reverse(s string) string {\n\treturn s\n}\n';
  const tree = files({ 'reverse.go': reverse });
  const [fix] = await compilerFixes('# example.com/strutil\n./reverse.go:4:2: imported and not used: "fmt"\n', ['reverse.go'], tree.read, tree.list);
  assert.equal(fix.text, 'package strutil\n\n// Reverse returns s reversed.\nfunc Reverse(s string) string {\n\treturn s\n}\n');
  assert.match(fix.what, /removed the import of "fmt"/);

  const mixed = 'package main\n\nimport (\n\t"fmt"\n\tstr "strings"\n\t"os" // exit codes\n)\n\nimport "math"\n\nfunc main() { fmt.Println() }\n';
  const two = files({ 'main.go': mixed });
  const output = 'main.go:5:2: "strings" imported as str and not used\nmain.go:6:2: "os" imported and not used\nmain.go:9:8: "math" imported but not used\n';
  const [both] = await compilerFixes(output, ['main.go'], two.read, two.list);
  assert.equal(both.text, 'package main\n\nimport (\n\t"fmt"\n)\n\n\nfunc main() { fmt.Println() }\n');
  // a line that is not that import (the file changed since the run) is left as it is
  assert.deepEqual(await compilerFixes('main.go:4:2: imported and not used: "os"\n', ['main.go'], two.read, two.list), []);
});

test('a Go standard package a changed file uses without importing it is imported, into its group or beside its one import', async () => {
  const body =
    '\nfunc TestClamp(t *testing.T) {\n\tt.Run(fmt.Sprintf("%d", 1), func(t *testing.T) {\n\t\tif strings.Repeat("a", 2) == "" {\n\t\t\tt.Fail()\n\t\t}\n\t})\n}\n';
  const single = `package clamp\n\nimport "testing"\n${body}`;
  const output = './clamp_test.go:7:8: undefined: fmt\n./clamp_test.go:8:6: undefined: strings\nFAIL\texample.com/clamp [build failed]\n';
  const tree = files({ 'clamp.go': clamp, 'clamp_test.go': single });
  const [fix, ...more] = await compilerFixes(output, ['clamp_test.go'], tree.read, tree.list);
  assert.equal(more.length, 0);
  assert.equal(fix.text, `package clamp\n\nimport (\n\t"fmt"\n\t"strings"\n\t"testing"\n)\n${body}`);
  assert.match(fix.what, /imported "fmt", "strings"/);
  // a group gets the line; a file with no import gets one after its package clause
  const grouped = files({ 'clamp_test.go': `package clamp\n\nimport (\n\t"testing"\n)\n${body}` });
  const [inGroup] = await compilerFixes('clamp_test.go:7:8: undefined: fmt\n', ['clamp_test.go'], grouped.read, grouped.list);
  assert.equal(inGroup.text, `package clamp\n\nimport (\n\t"fmt"\n\t"testing"\n)\n${body}`);
  const none = files({ 'main.go': 'package main\n\nfunc main() {\n\tfmt.Println(filepath.Base("a/b"))\n}\n' });
  const [added] = await compilerFixes('./main.go:4:2: undefined: fmt\n./main.go:4:14: undefined: filepath\n', ['main.go'], none.read, none.list);
  assert.equal(added.text, 'package main\n\nimport (\n\t"fmt"\n\t"path/filepath"\n)\n\nfunc main() {\n\tfmt.Println(filepath.Base("a/b"))\n}\n');
  // a name that is no standard package, or not used as one, or a file not changed: left alone
  const own = files({ 'main.go': 'package main\n\nfunc main() {\n\tprintln(sort)\n}\n' });
  assert.deepEqual(await compilerFixes('./main.go:4:10: undefined: sort\n', ['main.go'], own.read, own.list), []);
  assert.deepEqual(await compilerFixes('./main.go:4:2: undefined: helper\n', ['main.go'], none.read, none.list), []);
  assert.deepEqual(await compilerFixes('./main.go:4:2: undefined: fmt\n', ['other.go'], none.read, none.list), []);
});

test('the include GCC names for a changed file is added after its includes', async () => {
  const source = '#include "vm.hpp"\n\nint run() { std::map<int, int> m; return m.size(); }\n';
  const tree = files({ 'vm.cpp': source });
  const output = "vm.cpp:3:18: note: 'std::map' is defined in header '<map>'; did you forget to '#include <map>'?\n";
  const [fix] = await compilerFixes(output, ['vm.cpp'], tree.read, tree.list);
  assert.equal(fix.text, '#include "vm.hpp"\n#include <map>\n\nint run() { std::map<int, int> m; return m.size(); }\n');
  assert.match(fix.what, /#include <map>/);
  assert.deepEqual(await compilerFixes(output, ['other.cpp'], tree.read, tree.list), []);
});

test('after a change whose tests fail to build for what the compiler names, the fix is applied and the tests run again', async (t) => {
  const repo = await makeRepo({ 'go.mod': 'module example.com/clamp\n\ngo 1.21\n', 'clamp.go': clamp });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('write_file', { path: 'clamp_test.go', content: externalTest }), act('answer', { text: 'Added a test.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Add a Go test file clamp_test.go with a test for `Clamp` in clamp.go.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(await fs.readFile(path.join(repo.root, 'clamp_test.go'), 'utf8'), externalTest.replace('package clamp_test', 'package clamp'));
  const seen = model.prompts[1].at(-1)!.content;
  assert.match(seen, /assist fixed it \(clamp_test\.go: `package clamp_test` became `package clamp`/);
  assert.match(seen, /Then the tests ran \(go test[^)]*\):\ntests PASSED/, seen);
  assert.ok(s.events.some((e) => e.type === 'notice' && /Fixed what the output named for certain/.test(e.message)));
});

test("a standard function GCC names no header for ('not a member of std') gets the header that declares it", async () => {
  const source = '#include <vector>\n\ninline int largest(const std::vector<int>& v) { return *std::max_element(v.begin(), v.end()); }\n';
  const tree = files({ 'largest.hpp': source });
  const output = 'largest.hpp:3:62: error: ‘max_element’ is not a member of ‘std’; did you mean ‘tuple_element’?\n';
  const [fix] = await compilerFixes(output, ['largest.hpp'], tree.read, tree.list);
  assert.equal(fix.text, source.replace('#include <vector>\n', '#include <vector>\n#include <algorithm>\n'));
  assert.deepEqual(await compilerFixes("a.cpp:1:1: error: 'frobnicate' is not a member of 'std'\n", ['a.cpp'], files({ 'a.cpp': 'x' }).read, tree.list), []);
});

test("the model's own run of its change that fails to build for what the compiler names is fixed and run again", async (t) => {
  // cpp-largest: `std::max_element` without <algorithm>; the model made three edits that changed nothing
  const repo = await makeRepo({ 'README.md': '# largest\n' });
  t.after(repo.cleanup);
  const header = '#include <vector>\n\ninline int largest(const std::vector<int>& values) {\n    return *std::max_element(values.begin(), values.end());\n}\n';
  const check = 'g++ -std=c++17 -fsyntax-only largest.hpp';
  const model = new ScriptedModel([
    act('write_file', { path: 'largest.hpp', content: header }),
    act('run_in_sandbox', { language: null, code: null, command: check }),
    act('answer', { text: 'Done.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(
    'Write largest.hpp defining (inline) `int largest(const std::vector<int>& values)` that returns the largest value.',
  );
  assert.equal(result.status, 'answered', result.text);
  assert.match(await fs.readFile(path.join(repo.root, 'largest.hpp'), 'utf8'), /^#include <vector>\n#include <algorithm>\n/);
  const seen = model.prompts[2].at(-1)!.content;
  assert.match(
    seen,
    /\nThe run failed on what assist can fix for certain, so assist fixed it \(largest\.hpp: [^)]*#include <algorithm>[^)]*\) and ran it again:\n/,
    seen,
  );
  assert.match(seen, /exit code 0/, seen);
  assert.equal(result.verified, true);
});

test('a Python name a changed file uses without importing, defined by one module beside it, gets its import; two definers or none, nothing', async () => {
  const slug = 'import re\n\n\ndef slugify(title):\n    return title.lower()\n';
  const tests = 'def test_spaces():\n    assert slugify("a b") == "a-b"\n';
  const pytest =
    '_________ test_spaces _________\n\n    def test_spaces():\n>       assert slugify("a b") == "a-b"\nE       NameError: name \'slugify\' is not defined\n\ntest_slug.py:2: NameError\n';
  const tree = files({ 'slug.py': slug, 'test_slug.py': tests });
  const [fix, ...more] = await compilerFixes(pytest, ['test_slug.py'], tree.read, tree.list);
  assert.equal(more.length, 0);
  assert.equal(fix.text, `from slug import slugify\n${tests}`);
  assert.match(fix.what, /added `from slug import slugify`/);
  // pyflakes says it too; after the file's own imports
  const withImport = `import pytest\n\n${tests}`;
  const [again] = await compilerFixes(
    "test_slug.py:4:12: undefined name 'slugify'\n",
    ['test_slug.py'],
    files({ 'slug.py': slug, 'test_slug.py': withImport }).read,
    tree.list,
  );
  assert.equal(again.text, `import pytest\nfrom slug import slugify\n\n${tests}`);
  const two = files({ 'slug.py': slug, 'slug2.py': slug, 'test_slug.py': tests });
  assert.deepEqual(await compilerFixes(pytest, ['test_slug.py'], two.read, two.list), [], 'two modules define it');
  assert.deepEqual(await compilerFixes(pytest, ['slug.py'], tree.read, tree.list), [], 'not a changed file');
  // in a package, by the module's whole path (`from http import …` would be the standard library's)
  const pkg = files({ 'shop/__init__.py': '', 'shop/http.py': 'class Response:\n    pass\n', 'shop/views.py': 'def show():\n    return Response()\n' });
  const [inPackage] = await compilerFixes("shop/views.py:2:12: undefined name 'Response'\n", ['shop/views.py'], pkg.read, pkg.list);
  assert.equal(inPackage.text, 'from shop.http import Response\ndef show():\n    return Response()\n');
});

test('a Python test written without importing what it tests gets the import when the check names the name', async (t) => {
  const repo = await makeRepo({ 'slug.py': 'def slugify(title):\n    return title.lower().replace(" ", "-")\n' });
  t.after(repo.cleanup);
  const tests = 'def test_spaces():\n    assert slugify("a b") == "a-b"\n';
  const model = new ScriptedModel([act('write_file', { path: 'test_slug.py', content: tests }), act('answer', { text: 'Done.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ lint: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py.');
  assert.equal(await fs.readFile(path.join(repo.root, 'test_slug.py'), 'utf8'), `from slug import slugify\n${tests}`);
  const seen = model.prompts[1].at(-1)!.content;
  assert.match(
    seen,
    /The check named what assist can fix for certain, so assist fixed it \(test_slug\.py: added `from slug import slugify`[^)]*\) and ran the check again:/,
    seen,
  );
  assert.match(seen, /Checked with pyflakes: no problems\./, seen);
});

test('a Go test importing its own package by a path the module does not have gets the module path', async () => {
  const wrong = externalTest.replace('import "testing"', 'import (\n\t"testing"\n\t"github.com/example.com/clamp"\n)').replace('Clamp(-1', 'clamp.Clamp(-1');
  const tree = files({ 'clamp.go': clamp, 'clamp_test.go': wrong, 'go.mod': 'module example.com/clamp\n\ngo 1.21\n' });
  const output =
    'FAIL\texample.com/clamp [setup failed]\n# example.com/clamp\nclamp_test.go:5:2: no required module provides package github.com/example.com/clamp; to add it:\n\tgo get github.com/example.com/clamp\n';
  const [fix, ...more] = await compilerFixes(output, ['clamp_test.go'], tree.read, tree.list);
  assert.equal(more.length, 0);
  assert.equal(fix.text, wrong.replace('"github.com/example.com/clamp"', '"example.com/clamp"'));
  assert.match(fix.what, /imported its package as "example\.com\/clamp"/);
  const another = files({
    'clamp.go': clamp,
    'clamp_test.go': wrong.replace('github.com/example.com/clamp', 'github.com/pkg/errors'),
    'go.mod': 'module example.com/clamp\n',
  });
  const other = output.replaceAll('github.com/example.com/clamp', 'github.com/pkg/errors');
  assert.deepEqual(await compilerFixes(other, ['clamp_test.go'], another.read, another.list), [], 'a package of another name is the model’s to sort out');
});

test('a Python name a test uses without importing it: the one project module defining it, else the standard module that does', async () => {
  const text =
    'from tally.services.export import export_entries\n\n\ndef test_export(conn):\n    insert_entry(conn, 1, date(2024, 5, 2), 60)\n    assert export_entries(conn)\n';
  const tree = files({ 'tests/test_export.py': text });
  const output =
    "    def test_export(conn):\n>       insert_entry(conn, 1, date(2024, 5, 2), 60)\nE       NameError: name 'insert_entry' is not defined\n\ntests/test_export.py:5: NameError\n" +
    "E       NameError: name 'date' is not defined\n";
  const definer = (name: string) => (name === 'insert_entry' ? 'tally/db/entries.py' : undefined);
  const [fix] = await compilerFixes(output, ['tests/test_export.py'], tree.read, tree.list, { definer });
  assert.equal(
    fix.text,
    'from tally.services.export import export_entries\nfrom tally.db.entries import insert_entry\nfrom datetime import date\n\n\ndef test_export(conn):\n    insert_entry(conn, 1, date(2024, 5, 2), 60)\n    assert export_entries(conn)\n',
  );
  // a `date` of the project's own is not the standard one
  const own = (name: string, _language: string, any?: boolean) => (name === 'date' && any ? 'tally/dates.py' : definer(name));
  const [mine] = await compilerFixes(output, ['tests/test_export.py'], tree.read, tree.list, { definer: own });
  assert.doesNotMatch(mine.text, /from datetime import date/);
});

test("a Ruby test's require_relative of a file the project has elsewhere gets its path; a name the project has twice is the model's", async () => {
  const text =
    "require 'minitest/autorun'\nrequire_relative '../slug'\n\nclass TestSlug < Minitest::Test\n  def test_a\n    assert_equal 'a', Slug.slugify('A')\n  end\nend\n";
  const tree = files({ 'test/test_slug.rb': text, 'lib/slug.rb': 'module Slug\nend\n' });
  const output = "test/test_slug.rb:2:in `require_relative': cannot load such file -- /work/slug (LoadError)\n\tfrom test/test_slug.rb:2:in `<main>'\n";
  const [fix] = await compilerFixes(output, ['test/test_slug.rb'], tree.read, tree.list, { files: () => ['lib/slug.rb', 'test/test_slug.rb'] });
  assert.equal(fix.text, text.replace("require_relative '../slug'", "require_relative '../lib/slug'"));
  assert.deepEqual(await compilerFixes(output, ['test/test_slug.rb'], tree.read, tree.list, { files: () => ['lib/slug.rb', 'app/slug.rb'] }), []);
});

test('a test module that uses a helper its neighbours import, without importing it, gets their import of it, and of the others it calls (node names one a run)', async () => {
  const tree = files({
    'test/services.test.ts': "import { test } from 'node:test';\nimport { seedRooms, testContext } from './helpers.ts';\n\ntest('a', () => {});\n",
    'test/helpers.ts': 'export function testContext() {}\nexport function seedRooms() {}\n',
    'test/availability.test.ts':
      "import { test } from 'node:test';\nimport { freeSlots } from '../src/services/availability.ts';\n\ntest('free', () => {\n  const ctx = testContext();\n  seedRooms(ctx);\n});\n",
  });
  const output = "not ok 1 - free\n  error: 'testContext is not defined'\n  name: 'ReferenceError'\n";
  const [fix, ...more] = await compilerFixes(output, ['test/availability.test.ts'], tree.read, tree.list);
  assert.equal(more.length, 0);
  assert.equal(
    fix?.text,
    "import { test } from 'node:test';\nimport { freeSlots } from '../src/services/availability.ts';\nimport { testContext, seedRooms } from './helpers.ts';\n\ntest('free', () => {\n  const ctx = testContext();\n  seedRooms(ctx);\n});\n",
  );
  assert.match(fix?.what ?? '', /added `import \{ testContext, seedRooms \} from '\.\/helpers\.ts';`/);
  const notBeside = files({ 'test/a.test.ts': "import { x } from './x.ts';\nfoo();\n", 'test/b.test.ts': "import { x } from './x.ts';\n" });
  assert.deepEqual(
    await compilerFixes("'foo is not defined'", ['test/a.test.ts'], notBeside.read, notBeside.list),
    [],
    'no neighbour imports it: the model’s to choose',
  );
});

test('a test module that uses a helper a neighbouring test defines for itself gets a copy of it after its imports; an exported one is not copied', async () => {
  const helper = 'const booking = (roomId: number, start: string) => ({\n  roomId,\n  start: `2030-04-02T${start}:00Z`,\n});';
  const tree = files({
    'test/services.test.ts': `import { test } from 'node:test';\n\n${helper}\n\nexport function shared() {}\n\ntest('a', () => {});\n`,
    'test/availability.test.ts':
      "import { test } from 'node:test';\nimport { freeSlots } from '../src/services/availability.ts';\n\ntest('free', () => {\n  freeSlots(booking(1, '09:00'));\n  shared();\n});\n",
  });
  const output = "not ok 1 - free\n  error: 'booking is not defined'\n  error: 'shared is not defined'\n  name: 'ReferenceError'\n";
  const [fix, ...more] = await compilerFixes(output, ['test/availability.test.ts'], tree.read, tree.list);
  assert.equal(more.length, 0);
  assert.equal(
    fix?.text,
    `import { test } from 'node:test';\nimport { freeSlots } from '../src/services/availability.ts';\n\n${helper}\n\ntest('free', () => {\n  freeSlots(booking(1, '09:00'));\n  shared();\n});\n`,
  );
  assert.equal(fix?.what, 'copied `booking` from test/services.test.ts: a helper the test beside it defines for itself, used here without a definition');
});

test('a name a test module calls that one project module defines is imported from it, written as the neighbours write their imports; a default import of theirs is taken whole', async () => {
  const tree = files({
    'test/services.test.ts':
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { bookRoom } from '../src/services/booking-service.ts';\n\ntest('a', () => {});\n",
    'test/availability.test.ts':
      "import { test } from 'node:test';\n\ntest('free', () => {\n  const { add } = tools();\n  assert.equal(freeSlots(bookRoom(add(1))), 1);\n});\n",
  });
  // (`add` is the project's too, but bound here by the destructuring: an import of it would clash)
  const definer = (name: string) => (name === 'freeSlots' ? 'src/services/availability.ts' : name === 'add' ? 'src/math.ts' : undefined);
  const [fix] = await compilerFixes("error: 'freeSlots is not defined'", ['test/availability.test.ts'], tree.read, tree.list, { definer });
  assert.equal(
    fix?.text,
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { bookRoom } from '../src/services/booking-service.ts';\nimport { freeSlots } from '../src/services/availability.ts';\n\ntest('free', () => {\n  const { add } = tools();\n  assert.equal(freeSlots(bookRoom(add(1))), 1);\n});\n",
  );
  assert.match(fix?.what ?? '', /the project defines it there/);
});
