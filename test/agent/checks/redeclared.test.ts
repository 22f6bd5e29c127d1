/**
 * A variable declared twice in one scope (redeclared.ts): the second declaration becomes an
 * assignment where javac, gcc, g++ or go name it. The turn test builds with the real cc in the
 * sandbox; the model that wrote the second declaration is scripted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { asAssignments, redeclarations } from '../../../src/agent/checks/redeclared.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: '', tool, args });

test('what javac, gcc, g++ and go say of a second declaration', () => {
  const output = [
    'TextWrap.java:33: error: variable lines is already defined in method wrap(String,int)',
    "wrap.c:12:9: error: redefinition of 'width'",
    'wrap.c:3:9: note: previous definition of ‘width’ with type ‘int’',
    "vm.cpp:20:22: error: redeclaration of 'std::vector<int> stack'",
    './wrap.go:7:6: no new variables on left side of :=',
  ].join('\n');
  assert.deepEqual(redeclarations(output), [
    { file: 'TextWrap.java', line: 33, name: 'lines' },
    { file: 'wrap.c', line: 12, name: 'width' },
    { file: 'vm.cpp', line: 20, name: 'stack' },
    { file: './wrap.go', line: 7 },
  ]);
});

test('the second declaration with a value is an assignment; a line that is not one stays', () => {
  const java = '    List<String> lines = new ArrayList<>();\n    final int width = 0;\n    List<String> lines = new java.util.ArrayList<>();\n';
  const fixed = asAssignments('src/TextWrap.java', java, 'TextWrap.java:3: error: variable lines is already defined in method wrap(String,int)\n');
  assert.equal(fixed?.text, '    List<String> lines = new ArrayList<>();\n    final int width = 0;\n    lines = new java.util.ArrayList<>();\n');
  assert.match(fixed?.what ?? '', /assigned `lines` where it was declared a second time/);
  const go = '\terr := a()\n\terr := b()\n';
  assert.equal(asAssignments('wrap.go', go, './wrap.go:2:6: no new variables on left side of :=\n')?.text, '\terr := a()\n\terr = b()\n');
  assert.equal(
    asAssignments('wrap.c', 'int width(void);\nint width(void) { return 1; }\n', "wrap.c:2:5: error: redefinition of 'width'\n"),
    undefined,
    'a function',
  );
  assert.equal(asAssignments('other.c', 'int w = 1;\nint w = 2;\n', "wrap.c:2:5: error: redefinition of 'w'\n"), undefined, 'another file');
});

test('in a turn: a C body that declares its counter twice is built with an assignment, and the tests pass', async (t) => {
  const header = '#pragma once\nint count_spaces(const char *s);\n';
  const tests =
    '#include <stdio.h>\n#include "count.h"\n\nint main(void) {\n    if (count_spaces("a b c") != 2) { puts("FAIL count_spaces"); return 1; }\n    puts("ok");\n    return 0;\n}\n';
  const makefile = 'test:\n\tcc -std=c11 -o /tmp/count_test count.c count_test.c\n\t/tmp/count_test\n';
  const written =
    '#include "count.h"\n\nint count_spaces(const char *s) {\n    int n = 0;\n    int n = 0;\n    for (; *s; s++) if (*s == \' \') n++;\n    return n;\n}\n';
  const repo = await makeRepo({ 'count.h': header, 'count_test.c': tests, Makefile: makefile, 'count.c': '#include "count.h"\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('write_file', { path: 'count.c', content: written }), act('answer', { text: 'Done.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Write count_spaces in count.c so that `make test` passes.');
  assert.match(await fs.readFile(path.join(repo.root, 'count.c'), 'utf8'), /int n = 0;\n {4}n = 0;\n/);
  const seen = model.prompts[1].at(-1)!.content;
  assert.match(seen, /assist fixed it \(count\.c: assigned `n` where it was declared a second time/, seen);
  assert.match(seen, /tests PASSED/, seen);
});
