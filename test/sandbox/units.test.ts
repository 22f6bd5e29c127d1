/** Pure parts of the sandbox: output capping, language recipes, run resolution, test detection and summaries, toolchain lookup. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CappedOutput } from '../../src/sandbox/output.ts';
import { languageRecipe, supportedLanguages } from '../../src/sandbox/languages.ts';
import { findToolchains, systemPath } from '../../src/sandbox/host-toolchains.ts';
import { resolveRun, SandboxError } from '../../src/sandbox/run-common.ts';
import { detectTestCommand } from '../../src/sandbox/test-command.ts';
import { summarizeTestOutput } from '../../src/sandbox/test-summary.ts';
import { tempProject } from './helpers.ts';

test('CappedOutput keeps everything under the limit', () => {
  const out = new CappedOutput(100);
  out.write('hello ');
  out.write(Buffer.from('world'));
  assert.equal(out.text(), 'hello world');
  assert.equal(out.truncated, false);
});

test('CappedOutput keeps head and tail and says how much was cut', () => {
  const out = new CappedOutput(40);
  for (let i = 0; i < 100; i++) out.write(`line ${String(i).padStart(3, '0')}\n`);
  const text = out.text();
  assert.equal(out.truncated, true);
  assert.equal(out.totalBytes, 900);
  assert.ok(text.startsWith('line 000\nline 001\nline 002\nlin\n[...'), text);
  assert.ok(text.endsWith('line 099\n'));
  assert.match(text, /output truncated: 860 of 900 bytes not shown \(limit 40 bytes/);
});

test('every supported language has a recipe, aliases resolve, unknown ones do not', () => {
  for (const name of ['python', 'javascript', 'typescript', 'go', 'rust', 'c', 'cpp', 'java', 'bash', 'ruby'])
    assert.ok(supportedLanguages.includes(name), name);
  assert.equal(languageRecipe('Python3')?.name, 'python');
  assert.equal(languageRecipe('c++')?.name, 'cpp');
  assert.equal(languageRecipe('ts')?.file, 'assist_snippet.ts');
  assert.equal(languageRecipe('cobol'), undefined);
});

test('resolveRun: code+language writes the file, a command alone runs as is, nonsense is a clear error', () => {
  const code = resolveRun({ code: 'print(1)', language: 'py' });
  assert.equal(code.command, 'python3 assist_snippet.py');
  assert.equal(code.extra[0]?.path, 'assist_snippet.py');
  assert.equal(resolveRun({ code: 'x', language: 'python', command: 'python3 -O assist_snippet.py' }).command, 'python3 -O assist_snippet.py');
  assert.equal(resolveRun({ command: 'ls' }).command, 'ls');
  assert.throws(
    () => resolveRun({ code: 'x', language: 'cobol' }),
    (e: Error) => e instanceof SandboxError && /unsupported language 'cobol': use one of python/.test(e.message),
  );
  assert.throws(() => resolveRun({}), /nothing to run/);
});

test('detectTestCommand recognises the common project layouts, pending files included', async () => {
  const cases: Array<[Record<string, string>, string | undefined]> = [
    [{ 'package.json': '{"scripts":{"test":"node --test"}}' }, 'npm test'],
    [{ 'package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}', 'pytest.ini': '' }, 'python3 -m pytest -q'],
    [{ 'package.json': '{"name":"ranges"}', 'test/sum.test.js': '' }, 'node --test'],
    [{ 'package.json': '{"name":"ranges"}', 'src/sum.js': '' }, undefined],
    [{ 'src/median.js': '', 'test/median.test.js': '' }, 'node --test'],
    [{ 'app.py': '', 'test_app.py': '', 'static/ui.test.js': '' }, 'python3 -m pytest -q'],
    [{ 'Cargo.toml': '[package]' }, 'cargo test --offline'],
    [{ 'go.mod': 'module x' }, 'go test ./...'],
    [{ 'pyproject.toml': '' }, 'python3 -m pytest -q'],
    [{ 'tests/test_a.py': '' }, 'python3 -m pytest -q'],
    [{ 'pom.xml': '' }, 'mvn -q -o test'],
    [{ 'build.gradle': '' }, 'gradle test --offline'],
    [{ Makefile: 'all:\n\ttrue\ntest: all\n\ttrue\n' }, 'make test'],
    [{ Makefile: 'all:\n\ttrue\n' }, undefined],
    [{ 'README.md': '' }, undefined],
  ];
  for (const [files, expected] of cases) {
    const project = await tempProject(files);
    try {
      assert.equal((await detectTestCommand(project.snapshot))?.command, expected, JSON.stringify(files));
    } finally {
      await project.cleanup();
    }
  }
  const pending = await tempProject({}, { 'go.mod': 'module y' });
  try {
    assert.equal((await detectTestCommand(pending.snapshot))?.command, 'go test ./...');
  } finally {
    await pending.cleanup();
  }
});

test('summarizeTestOutput keeps failure lines and the totals, not the whole log', () => {
  const noise = Array.from({ length: 10_000 }, (_, i) => `ok ${i} some passing test`);
  const log = [
    ...noise.slice(0, 5000),
    'FAILED tests/test_math.py::test_add - assert 3 == 4',
    '    assert add(1, 2) == 4',
    ...noise.slice(5000),
    '1 failed, 9999 passed in 2.1s',
  ].join('\n');
  const summary = summarizeTestOutput(log, '', { passed: false });
  assert.ok(summary.length <= 3100, `summary is ${summary.length} chars`);
  assert.match(summary, /FAILED tests\/test_math.py::test_add - assert 3 == 4/);
  assert.match(summary, /assert add\(1, 2\) == 4/);
  assert.match(summary, /1 failed, 9999 passed/);
  assert.match(summary, /\[\.\.\. \d+ lines \.\.\.\]/);
  const passed = summarizeTestOutput(log.replace('FAILED', 'PASSED'), '', { passed: true, maxChars: 800 });
  assert.ok(passed.length <= 820);
});

test('summarizeTestOutput leads with the first failure in full, even when many later ones overflow the budget', () => {
  const failure = (n: number) => [
    `____________________ test_case_${n} ____________________`,
    `    def test_case_${n}():`,
    `>       assert compute(${n}) == ${n * 2}`,
    `E       AssertionError: assert ${n} == ${n * 2}`,
    `E        +  where ${n} = compute(${n})`,
    '',
    `tests/test_calc.py:${10 + n}: AssertionError`,
  ];
  const log = ['============ FAILURES ============', ...Array.from({ length: 60 }, (_, i) => failure(i + 1)).flat(), '60 failed, 2 passed in 0.40s'].join('\n');
  const summary = summarizeTestOutput(log, '', { passed: false, maxChars: 1500 });
  assert.ok(summary.length <= 1500, `summary is ${summary.length} chars`);
  assert.match(
    summary,
    /assert compute\(1\) == 2\nE       AssertionError: assert 1 == 2\nE        \+  where 1 = compute\(1\)/,
    'the first failure with its error lines',
  );
  assert.match(summary, /tests\/test_calc.py:11: AssertionError/, 'with its file:line');
  assert.match(summary, /60 failed, 2 passed/, 'and the totals');
  assert.doesNotMatch(summary, /test_case_59\(\)/, 'later failures give way');
});

test('findToolchains binds a toolchain outside /usr alone, at /toolchains/NAME, and never a home directory', async (t) => {
  // A language whose program this machine lacks in the system directories, so the fake one is what is found.
  const language = ['ruby', 'typescript', 'go', 'java'].find(
    (l) => !languageRecipe(l)!.tools.some((tool) => systemPath.some((d) => existsSync(path.join(d, tool)))),
  );
  if (!language) return t.skip('every candidate language is installed in the system directories here');
  const tools = languageRecipe(language)!.tools.filter((tool) => !systemPath.some((d) => existsSync(path.join(d, tool))));
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-toolchains-'));
  try {
    const install = async (dir: string): Promise<void> => {
      await fs.mkdir(dir, { recursive: true });
      for (const tool of tools) await fs.writeFile(path.join(dir, tool), '#!/bin/sh\n', { mode: 0o755 });
    };
    await install(path.join(base, 'opt', 'lang-9', 'bin'));
    await install(path.join(base, 'home', '.local', 'bin'));
    await fs.mkdir(path.join(base, 'links'));
    for (const tool of tools) await fs.symlink(path.join(base, 'opt', 'lang-9', 'bin', tool), path.join(base, 'links', tool));

    const viaLink = findToolchains(path.join(base, 'links'), path.join(base, 'home'));
    assert.ok(viaLink.found.includes(language), `${language} found through a symlink`);
    assert.deepEqual(
      viaLink.binds.filter((b) => b.source.startsWith(base)),
      [{ source: path.join(base, 'opt', 'lang-9'), target: '/toolchains/lang-9' }],
    );
    assert.ok(viaLink.path.includes('/toolchains/lang-9/bin'));

    const inHome = findToolchains(path.join(base, 'home', '.local', 'bin'), path.join(base, 'home'));
    assert.ok(!inHome.found.includes(language), 'a program whose tree is ~/.local would expose the home directory');
    assert.deepEqual(
      inHome.binds.filter((b) => b.source.startsWith(base)),
      [],
    );
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
});
