/**
 * The check after an applied change (issue 15, part 4), through the real tools, a real temp repo
 * and the real sandbox (Docker under CI), with a scripted model: the checker's first errors join
 * the observation before the test results, a clean check is one short line, it is never an
 * attempt, it follows the auto-test's on/off rule, and a checker that is missing or broken is one
 * notice to the person, not a line after every edit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintOn } from '../../../src/agent/open-session.ts';
import type { AgentEvent } from '../../../src/agent/events.ts';
import { defaults, type Config } from '../../../src/config/schema.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, scriptedApprover, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });
const write = (path: string, content: string) => act('write_file', { path, content });
const calc = 'def add(a, b):\n    return a - b\n';
const calcTest = 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n';
const readCalc = act('read_file', { path: 'calc.py', startLine: null, endLine: null });
const editCalc = (from: string, to: string) => act('edit_file', { path: 'calc.py', edits: [{ find: from, replace: to }] });

/** The observation texts the model read, one per tool call, in order. */
function observations(events: AgentEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'observation' ? [e.result.forModel] : []));
}

/** The commands the agent asked approval to run. */
function runsAsked(events: AgentEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'approval' && e.request.kind === 'exec' ? [e.request.command] : []));
}

function withLint(config: Config, lint: Partial<Config['lint']>): Config {
  return { ...config, lint: { ...defaults.lint, ...lint } };
}

test('a Python edit that leaves an undefined name: the pyflakes error comes with the change, before the tests, and is no attempt', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    readCalc,
    editCalc('    return a - b\n', '    return a + totl\n'),
    editCalc('    return a + totl\n', '    return a + b\n'),
    act('answer', { text: 'add adds.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on', lint: 'auto' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Make add in calc.py add.');
  assert.equal(result.status, 'answered', result.text);
  const [, broken, fixed] = observations(s.events);
  assert.match(
    broken,
    /^Applied: calc\.py[^]*\nChecked with pyflakes: 1 problem:\ncalc\.py:2: undefined name 'totl'\nThen the tests ran \(python3 -m pytest -q\):\ntests FAILED/,
    broken,
  );
  assert.match(fixed, /\nChecked with pyflakes: no problems\.\nThen the tests ran \(python3 -m pytest -q\):\ntests PASSED/, 'a clean check is one short line');
  assert.match(model.prompts[2].at(-1)!.content, /calc\.py:2: undefined name 'totl'/, 'the model read it');
  assert.deepEqual(
    result.attempts.map((a) => [a.command, a.passed]),
    [
      ['python3 -m pytest -q', false],
      ['python3 -m pytest -q', true],
    ],
    'the test runs are the attempts; the checks are not',
  );
  assert.deepEqual(
    runsAsked(s.events).filter((c) => c.includes('pyflakes')),
    ['python3 -m pyflakes calc.py', 'python3 -m pyflakes calc.py'],
    'through approval, like any run',
  );
  assert.ok(!s.events.some((e) => e.type === 'notice' && /check/.test(e.message)), 'no notice when the checker works');
});

test('checks never count toward maxAttempts: three edits with errors within maxAttempts 1', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    readCalc,
    editCalc('    return a - b\n', '    return a + totl\n'),
    editCalc('    return a + totl\n', '    return a + tot\n'),
    editCalc('    return a + tot\n', '    return a + b + c\n'),
    act('answer', { text: 'done' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ lint: 'on', maxAttempts: 1 }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Make add in calc.py add.');
  assert.equal(result.status, 'answered', result.text);
  assert.deepEqual(result.attempts, []);
  assert.deepEqual(
    observations(s.events)
      .slice(1)
      .map((o) => o.split('\n').filter((l) => l.startsWith('calc.py:'))),
    [["calc.py:2: undefined name 'totl'"], ["calc.py:2: undefined name 'tot'"], ["calc.py:2: undefined name 'c'"]],
  );
});

test('JavaScript, TypeScript, Go, C, C++, Ruby and shell: each edit gets the first errors of its checker', async (t) => {
  const repo = await makeRepo({ 'README.md': '# tools\n' });
  t.after(repo.cleanup);
  const files: Array<[string, string, RegExp]> = [
    ['app.js', 'let total = 1;\nlet total = 2;\nconsole.log(total);\n', /^app\.js:2: SyntaxError: Identifier 'total' has already been declared$/m],
    [
      'util.ts',
      'export function half(n: number): number {\n  return n / 2;\n}\nconst s: string = half(4);\nconsole.log(s);\n',
      /^util\.ts:4: Type 'number' is not assignable to type 'string'\.$/m,
    ],
    ['main.go', 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(totl)\n}\n', /^main\.go:6: undeclared name: totl$/m],
    [
      'prog.c',
      '#include <stdio.h>\n\nint main(void) {\n    printf("%d\\n", count);\n    return 0;\n}\n',
      /^prog\.c:4: 'count' undeclared \(first use in this function\)$/m,
    ],
    [
      'shapes.cpp',
      '#include <vector>\n\nint main() {\n    std::vector<int> v;\n    v.push(1);\n    return 0;\n}\n',
      /^shapes\.cpp:5: 'class std::vector<int>' has no member named 'push'$/m,
    ],
    ['lib.rb', 'def check(a)\n  a == 2\n  a\nend\n', /^lib\.rb:2: possibly useless use of == in void context$/m],
    ['run.sh', '#!/bin/bash\necho "$greeting"\n', /^run\.sh:2: greeting is referenced but not assigned\.$/m],
  ];
  const model = new ScriptedModel([...files.map(([path, content]) => write(path, content)), act('answer', { text: 'written' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ lint: 'auto' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Write app.js, util.ts, main.go, prog.c, shapes.cpp, lib.rb and run.sh.');
  assert.equal(result.status, 'answered', result.text);
  const seen = observations(s.events);
  files.forEach(([path, , expected], i) => {
    assert.match(seen[i], new RegExp(`^Applied: ${path.replace('.', '\\.')} \\(created`), seen[i]);
    assert.match(seen[i], /\nChecked with [^\n]+: 1 problem:\n/, seen[i]);
    assert.match(seen[i], expected, seen[i]);
  });
  assert.deepEqual(result.attempts, []);
  assert.ok(!s.events.some((e) => e.type === 'notice' && /check/.test(e.message)), 'every checker is in the image');
});

test('the off switch: agent.lint "off" runs no check; lint.<language> false turns off one language only', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const script = () => [
    readCalc,
    editCalc('    return a - b\n', '    return a + totl\n'),
    write('run.sh', '#!/bin/bash\necho "$greeting"\n'),
    act('answer', { text: 'done' }),
  ];
  const off = new ScriptedModel(script());
  const s = await startSession(t, { root: repo.root, config: testConfig({ lint: 'off' }), model: off, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Change add.');
  assert.ok(
    observations(s.events).every((o) => !o.includes('Checked with')),
    observations(s.events).join('\n---\n'),
  );
  assert.deepEqual(runsAsked(s.events), [], 'nothing was run');

  const repo2 = await makeRepo({ 'calc.py': calc });
  t.after(repo2.cleanup);
  const pythonOff = new ScriptedModel(script());
  const s2 = await startSession(t, {
    root: repo2.root,
    config: withLint(testConfig({ lint: 'on' }), { python: false }),
    model: pythonOff,
    tools: builtinTools,
    needsSandbox: true,
  });
  if (!s2) return;
  t.after(() => s2.session.dispose());
  await s2.session.agent.runTurn('Change add.');
  const [, python, shell] = observations(s2.events);
  assert.doesNotMatch(python, /Checked with/);
  assert.match(shell, /Checked with shellcheck: 1 problem:\nrun\.sh:2: greeting is referenced but not assigned\./);
});

test('in suggest mode with agent.lint "on" the check is asked like any run; declined, the model reads nothing of it', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const model = new ScriptedModel([readCalc, editCalc('    return a - b\n', '    return a + totl\n'), act('answer', { text: 'done' })]);
  const approver = scriptedApprover([{ answer: 'yes' }, { answer: 'no', reason: 'not now' }]);
  const s = await startSession(t, {
    root: repo.root,
    config: testConfig({ approvalMode: 'suggest', lint: 'on' }),
    model,
    approver,
    tools: builtinTools,
    needsSandbox: true,
  });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Change add in calc.py.');
  assert.deepEqual(
    approver.asked.map((r) => (r.kind === 'exec' ? r.command : r.kind)),
    ['edit', 'python3 -m pyflakes calc.py'],
  );
  const [, change] = observations(s.events);
  assert.match(change, /^Applied: calc\.py/);
  assert.doesNotMatch(change, /Checked with|undefined name|declined/, 'the changed lines, not the check');
});

test('a missing checker is one notice and is not run again; a broken one is one notice and never reaches the model', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'run.sh': '#!/bin/bash\necho hi\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    readCalc,
    editCalc('    return a - b\n', '    return a + totl\n'),
    write('run.sh', '#!/bin/bash\necho one\n'),
    editCalc('    return a + totl\n', '    return a + b\n'),
    write('run.sh', '#!/bin/bash\necho two\n'),
    act('answer', { text: 'done' }),
  ]);
  const config = withLint(testConfig({ lint: 'on' }), { python: 'no-such-linter {files}', bash: 'echo linter crashed; exit 3' });
  const s = await startSession(t, { root: repo.root, config, model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Change add and run.sh.');
  assert.equal(result.status, 'answered', result.text);
  const notices = s.events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
  assert.deepEqual(
    notices.filter((m) => /check after edits/.test(m)),
    [
      'The Python check after edits (no-such-linter) is not installed in the sandbox, so Python edits are not checked: fix "lint.python" in your settings, or set "lint": {"python": false}.',
      'The shell check after edits (echo) failed without a problem it could point at (linter crashed); its output is not shown to the model.',
    ],
  );
  const asked = runsAsked(s.events);
  assert.deepEqual(
    asked.filter((c) => c.startsWith('no-such-linter')),
    ['no-such-linter calc.py'],
    'a missing checker is not tried again',
  );
  assert.equal(asked.filter((c) => c.startsWith('echo linter crashed')).length, 2, 'a broken one is, but said once');
  assert.ok(
    observations(s.events).every((o) => !/Checked with|linter crashed|no-such-linter/.test(o)),
    'the model never reads any of it',
  );
});

test('agent.lint follows the auto-test rule: "auto" runs the check when runs need no asking', () => {
  const with_ = (lint: Config['agent']['lint'], approvalMode: Config['agent']['approvalMode']): Config => ({
    ...defaults,
    agent: { ...defaults.agent, lint, approvalMode },
  });
  assert.equal(lintOn(with_('auto', 'suggest'), false), false, 'suggest asks for every run');
  assert.equal(lintOn(with_('auto', 'suggest'), true), true, '`assist run` writing a new program runs in the sandbox without asking');
  assert.equal(lintOn(with_('auto', 'auto-edit'), false), true);
  assert.equal(lintOn(with_('auto', 'full-auto'), false), true);
  assert.equal(lintOn(with_('on', 'suggest'), false), true, 'on: it asks like any run');
  assert.equal(lintOn(with_('off', 'full-auto'), true), false);
  assert.equal(defaults.agent.lint, 'auto');
});
