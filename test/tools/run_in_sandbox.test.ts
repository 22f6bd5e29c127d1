/** run_in_sandbox against a real sandbox: results as data, approval, errors as tool errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandInCode, runInSandboxTool } from '../../tools/run_in_sandbox.ts';
import { smallConfig, tempProject } from '../sandbox/helpers.ts';
import { realSandbox, toolContext } from './run-tools-helpers.ts';

test('run_in_sandbox runs code and reports exit code, output, duration; fills `run`', async (t) => {
  const config = smallConfig();
  const { sandbox, why } = await realSandbox(config);
  if (!sandbox) return t.skip(why);
  const project = await tempProject({ 'data.txt': '5\n' });
  try {
    const ctx = toolContext(project.root, config, sandbox);
    const ok = await runInSandboxTool.execute({ language: 'python', code: 'print(int(open("data.txt").read()) * 2)', command: null }, ctx);
    assert.equal(ok.error, undefined, ok.forModel);
    assert.match(ok.forModel, /^exit code 0 \(success\) in \d+ ms\ncommand: python3 assist_snippet.py\nstdout:\n10\n/);
    assert.equal(ok.run?.exitCode, 0);
    assert.equal(ok.run?.language, 'python');
    assert.equal(ok.run?.stdout, '10\n');
    assert.deepEqual(ctx.requests[0], { kind: 'exec', command: 'python3 assist_snippet.py   # python snippet, 1 lines', sandbox: sandbox.kind });

    const bad = await runInSandboxTool.execute({ language: null, code: null, command: 'echo oops >&2; exit 3' }, ctx);
    assert.equal(bad.error, undefined);
    assert.equal(bad.run?.exitCode, 3);
    assert.match(bad.forModel, /^exit code 3 \(failed\)/);
    assert.match(bad.forModel, /stderr:\noops/);

    const misplaced = await runInSandboxTool.execute({ language: 'c', code: 'python3 -c "print(6 * 7)"', command: null }, ctx);
    assert.equal(misplaced.run?.exitCode, 0, misplaced.forModel);
    assert.match(misplaced.forModel, /^\(`code` held a shell command, so it ran as `command`\.\)\nexit code 0 \(success\)[^]*stdout:\n42\n/);

    // a command and a block without a language (a small model wrote its next step into the block): the command runs
    const both = await runInSandboxTool.execute({ language: null, code: '{"thought": "done", "tool": "answer"}\n', command: 'echo $((6 * 7))' }, ctx);
    assert.equal(both.error, undefined, both.forModel);
    assert.match(both.forModel, /^\(The code block had no `language`, so only the `command` ran\.\)\nexit code 0 \(success\)[^]*stdout:\n42\n/);
    assert.equal(both.run?.code, undefined);
  } finally {
    await sandbox.dispose();
    await project.cleanup();
  }
});

test('run_in_sandbox reports a timeout as data', async (t) => {
  const config = smallConfig({ timeoutMs: 800 });
  const { sandbox, why } = await realSandbox(config);
  if (!sandbox) return t.skip(why);
  const project = await tempProject({});
  try {
    const r = await runInSandboxTool.execute({ language: null, code: null, command: 'while :; do :; done' }, toolContext(project.root, config, sandbox));
    assert.equal(r.run?.timedOut, true);
    assert.match(r.forModel, /^timed out after 800 ms/);
    assert.match(r.forModel, /\nThe program did not finish within 1 s and was killed: it most likely loops forever, or waits for input/);
  } finally {
    await sandbox.dispose();
    await project.cleanup();
  }
});

test('run_in_sandbox: bad arguments, a declined run, no sandbox and a cancelled turn are tool errors', async (t) => {
  const config = smallConfig();
  const { sandbox, why } = await realSandbox(config);
  if (!sandbox) return t.skip(why);
  const project = await tempProject({});
  try {
    const ctx = toolContext(project.root, config, sandbox, [{ answer: 'no', reason: 'not now' }]);
    assert.equal((await runInSandboxTool.execute({ language: null, code: null, command: null }, ctx)).error?.code, 'invalid_args');
    assert.equal((await runInSandboxTool.execute({ language: null, code: 'print(1)', command: null }, ctx)).error?.code, 'invalid_args');
    const declined = await runInSandboxTool.execute({ language: null, code: null, command: 'echo hi' }, ctx);
    assert.equal(declined.error?.code, 'rejected');
    assert.match(declined.forModel, /not now/);
    assert.equal(declined.run, undefined);
    const none = await runInSandboxTool.execute({ language: null, code: null, command: 'echo hi' }, toolContext(project.root, config, undefined));
    assert.equal(none.error?.code, 'unavailable');
    const controller = new AbortController();
    controller.abort();
    const cancelled = await runInSandboxTool.execute(
      { language: null, code: null, command: 'echo hi' },
      toolContext(project.root, config, sandbox, [], controller.signal),
    );
    assert.equal(cancelled.error?.code, 'aborted');
  } finally {
    await sandbox.dispose();
    await project.cleanup();
  }
});

test('a one-line shell command in `code` is recognised; real one-liners and shell snippets are not', () => {
  assert.equal(commandInCode('gcc -Wall factorial.c -o /tmp/check && /tmp/check', 'c'), 'gcc -Wall factorial.c -o /tmp/check && /tmp/check');
  assert.equal(commandInCode('  python3 fib.py\n', 'python'), 'python3 fib.py');
  assert.equal(commandInCode('print(1)', 'python'), null);
  assert.equal(commandInCode('console.log(1)', 'javascript'), null);
  assert.equal(commandInCode('make test', 'bash'), null, 'a shell snippet runs in a shell anyway');
  assert.equal(commandInCode('gcc -c a.c\ngcc -c b.c', 'c'), null, 'several lines: code, not a command line');
  assert.equal(commandInCode(null, null), null);
});
