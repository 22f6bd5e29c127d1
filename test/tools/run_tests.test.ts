/** run_tests against a real sandbox: detection, pending changes, short failure summaries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runTestsTool } from '../../tools/run_tests.ts';
import { dockerUnavailable, smallConfig, tempProject } from '../sandbox/helpers.ts';
import { DockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { realSandbox, toolContext } from './run-tools-helpers.ts';

const buggy = 'def add(a, b):\n    return a - b\n';
const fixed = 'def add(a, b):\n    return a + b\n';
const tests =
  'from calc import add\n\ndef test_noise():\n    for i in range(20000):\n        print("noise line", i)\n\ndef test_add():\n    assert add(2, 3) == 5\n';

test('run_tests detects pytest, summarises the failure briefly, and passes with a pending fix', async (t) => {
  const config = smallConfig({ memoryMb: 256, timeoutMs: 60_000 });
  const { sandbox, why } = await realSandbox(config);
  if (!sandbox) return t.skip(why);
  const project = await tempProject({ 'calc.py': buggy, 'test_calc.py': tests, 'pytest.ini': '[pytest]\naddopts = -s\n' });
  try {
    const ctx = toolContext(project.root, config, sandbox);
    const failed = await runTestsTool.execute({ command: null }, ctx);
    assert.equal(failed.error, undefined, failed.forModel);
    assert.match(failed.forModel, /^tests FAILED: exit code 1 \(failed\)/);
    assert.match(failed.forModel, /command: python3 -m pytest -q \(detected from pytest.ini\)/);
    assert.match(failed.forModel, /test_add/);
    assert.match(failed.forModel, /assert -1 == 5/);
    assert.ok(failed.forModel.length < 3500, `the summary is ${failed.forModel.length} chars`);
    assert.ok((failed.run?.stdout.length ?? 0) > failed.forModel.length);
    assert.equal(failed.run?.exitCode, 1);

    ctx.workspace.stage([await ctx.workspace.proposeChange('calc.py', fixed)]);
    const passed = await runTestsTool.execute({ command: null }, ctx);
    assert.match(passed.forModel, /^tests PASSED/);
    assert.equal(passed.run?.exitCode, 0);
    assert.equal(await fs.readFile(path.join(project.root, 'calc.py'), 'utf8'), buggy, 'the pending fix must not reach the disk');
  } finally {
    await sandbox.dispose();
    await project.cleanup();
  }
});

test('run_tests prefers the argument, then tests.command, and says when nothing is found', async (t) => {
  const base = smallConfig();
  const config = { ...base, tests: { command: 'echo from-config' } };
  const { sandbox, why } = await realSandbox(config);
  if (!sandbox) return t.skip(why);
  const project = await tempProject({ 'README.md': 'nothing to test\n' });
  try {
    const fromConfig = await runTestsTool.execute({ command: null }, toolContext(project.root, config, sandbox));
    assert.match(fromConfig.forModel, /command: echo from-config \(tests.command in the config\)/);
    const given = await runTestsTool.execute({ command: 'exit 4' }, toolContext(project.root, config, sandbox));
    assert.match(given.forModel, /^tests FAILED: exit code 4/);
    assert.match(
      given.forModel,
      /The project's own test command is echo from-config: call run_tests with "command": null/,
      'a failing invented command points at the real one',
    );
    const none = await runTestsTool.execute({ command: null }, toolContext(project.root, base, sandbox));
    assert.equal(none.error?.code, 'not_found');
    assert.match(none.forModel, /no test command found for this project: pass `command`/);
  } finally {
    await sandbox.dispose();
    await project.cleanup();
  }
});

test('run_tests runs npm, go and cargo projects offline in the Docker image', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const config = smallConfig({ memoryMb: 1024, pids: 256, timeoutMs: 180_000 });
  const sandbox = new DockerSandbox({ config: config.sandbox, sessionId: `tool-test-langs-${process.pid}` });
  const projects: Array<[Record<string, string>, RegExp]> = [
    [
      {
        'package.json': '{"name":"x","scripts":{"test":"node --test"}}',
        'a.test.js': 'const t = require("node:test"); const assert = require("node:assert"); t.test("adds", () => assert.equal(1 + 1, 3));\n',
      },
      /command: npm test \(detected from package.json/,
    ],
    [
      {
        'go.mod': 'module example.com/x\n\ngo 1.19\n',
        'x_test.go': 'package x\nimport "testing"\nfunc TestAdd(t *testing.T) { if 1+1 != 3 { t.Fatal("1+1 is not 3") } }\n',
      },
      /--- FAIL: TestAdd[\s\S]*1\+1 is not 3/,
    ],
    [
      { 'Cargo.toml': '[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n', 'src/lib.rs': '#[test]\nfn adds() { assert_eq!(1 + 1, 3); }\n' },
      /test adds \.\.\. FAILED|assertion `left == right` failed|left: 2/,
    ],
  ];
  try {
    for (const [files, expected] of projects) {
      const project = await tempProject(files);
      try {
        const r = await runTestsTool.execute({ command: null }, toolContext(project.root, config, sandbox));
        assert.match(r.forModel, /^tests FAILED: exit code [1-9]/, r.forModel);
        assert.match(r.forModel, expected, r.forModel);
      } finally {
        await project.cleanup();
      }
    }
  } finally {
    await sandbox.dispose();
  }
});

test('run_tests says what a run killed at the time limit means: code that never ends, not a wrong command', async (t) => {
  const config = smallConfig({ timeoutMs: 3_000 });
  const { sandbox, why } = await realSandbox(config);
  if (!sandbox) return t.skip(why);
  const script = 'echo "ok   first"\necho "FAIL second"\nwhile :; do :; done\n';
  const project = await tempProject({ 'loop_test.sh': script });
  try {
    const ctx = { ...toolContext(project.root, config, sandbox), tests: { command: 'bash loop_test.sh', from: 'named in the request' } };
    const r = await runTestsTool.execute({ command: null }, ctx);
    assert.equal(r.run?.timedOut, true, r.forModel);
    assert.match(r.forModel, /^tests FAILED: timed out after 3000 ms \(killed\)/);
    assert.match(r.forModel, /FAIL second/);
    assert.match(r.forModel, /The tests did not finish within 3 s and were killed: the code they test most likely never ends for some input/);
    assert.match(r.forModel, /The test command is right; do not change it\./);
    assert.match(r.forModel, /the test after the last one reported is the one that hangs/);

    const given = await runTestsTool.execute({ command: 'bash -c "sleep 10"' }, ctx);
    assert.equal(given.run?.timedOut, true, given.forModel);
    assert.doesNotMatch(given.forModel, /The test command is right/, 'a command of its own may be what is wrong');
  } finally {
    await sandbox.dispose();
    await project.cleanup();
  }
});
