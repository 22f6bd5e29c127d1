import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TaskOutputError, writeTaskOutput, extensionFor, taskDirName } from '../../src/agent/task-output.ts';
import { mountSmallDisk } from '../support/small-disk.ts';
import type { TurnResult } from '../../src/agent/agent.ts';
import type { AgentEvent } from '../../src/agent/events.ts';
import { nonInteractiveAnswer } from '../../src/cli/non-interactive-approver.ts';
import { jsonEventWriter } from '../../src/cli/json-events.ts';

const failing = {
  attempt: 1,
  command: 'python3 assist_snippet.py',
  code: 'print(1/0)',
  language: 'python',
  exitCode: 1,
  timedOut: false,
  stdout: '',
  stderr: 'ZeroDivisionError: division by zero',
  durationMs: 40,
  passed: false,
};
const passing = { ...failing, attempt: 2, code: 'print(1)', exitCode: 0, stdout: '1\n', stderr: '', passed: true };

test('the run output folder holds the best attempt as final_code, a readable log and every attempt', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-out-'));
  try {
    const result: TurnResult = {
      status: 'answered',
      text: 'Prints 1.',
      steps: 3,
      attempts: [failing, passing],
      best: passing,
      usage: { promptTokens: 10, completionTokens: 5 },
      changed: [],
      verified: false,
    };
    const run = {
      exitCode: 1,
      timedOut: false,
      command: failing.command,
      code: failing.code,
      language: 'python',
      stdout: '',
      stderr: failing.stderr,
      durationMs: 40,
    };
    const events: AgentEvent[] = [
      { type: 'user', text: 'Task: print one' },
      { type: 'attempt', attempt: 1, maxAttempts: 3, passed: false, run },
      { type: 'result', status: 'answered', text: 'Prints 1.', steps: 3, attempts: 2 },
    ];
    const out = writeTaskOutput({
      outputDir: dir,
      task: 'print one',
      result,
      events,
      model: 'scripted',
      startedAt: new Date('2026-01-02T03:04:05Z'),
      success: true,
    });
    assert.equal(path.basename(out), 'task_20260102_030405');
    assert.deepEqual((await fs.readdir(out)).sort(), ['debug_history.json', 'execution_log.txt', 'final_code.py']);
    assert.equal(await fs.readFile(path.join(out, 'final_code.py'), 'utf8'), 'print(1)\n');
    const log = await fs.readFile(path.join(out, 'execution_log.txt'), 'utf8');
    assert.match(log, /attempt 1 failed \(exit 1\)/);
    assert.match(log, /ZeroDivisionError/);
    assert.match(log, /outcome: success/);
    const history = JSON.parse(await fs.readFile(path.join(out, 'debug_history.json'), 'utf8'));
    assert.equal(history.attempts.length, 2);
    assert.deepEqual(Object.keys(history.attempts[0]).sort(), [
      'attempt',
      'code',
      'command',
      'durationMs',
      'error',
      'exitCode',
      'language',
      'output',
      'passed',
      'timedOut',
    ]);
    assert.equal(history.attempts[0].error, 'ZeroDivisionError: division by zero');
    assert.equal(history.bestAttempt, 2);
    assert.equal(taskDirName(dir, new Date('2026-01-02T03:04:05Z')), 'task_20260102_030405_2', 'a second run in the same second gets its own folder');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a run with no code still leaves a final_code that says why', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-out-'));
  try {
    const result: TurnResult = {
      status: 'model_error',
      text: 'timeout',
      steps: 1,
      attempts: [],
      usage: { promptTokens: 0, completionTokens: 0 },
      changed: [],
      verified: false,
    };
    const out = writeTaskOutput({ outputDir: dir, task: 't', language: 'go', result, events: [], model: 'm', startedAt: new Date(), success: false });
    assert.match(await fs.readFile(path.join(out, 'final_code.go'), 'utf8'), /^\/\/ No code was produced: model_error/);
    assert.equal(extensionFor('Python'), 'py');
    assert.equal(extensionFor('klingon'), 'txt');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('the non-interactive policy: sandboxed runs go ahead, edits and host runs are refused with a reason', () => {
  const run = { command: 'run' as const, allowSandboxedRuns: true };
  assert.deepEqual(nonInteractiveAnswer(run, { kind: 'exec', command: 'pytest', sandbox: 'docker' }), { answer: 'yes' });
  assert.deepEqual(nonInteractiveAnswer(run, { kind: 'exec', command: 'pytest', sandbox: 'bwrap' }), { answer: 'yes' });
  const host = nonInteractiveAnswer(run, { kind: 'exec', command: 'pytest', sandbox: 'none' });
  assert.equal(host.answer, 'no');
  assert.match((host as { reason: string }).reason, /--full-auto/);
  const edit = nonInteractiveAnswer(run, { kind: 'edit', changes: [{ path: 'a.py', before: null, after: 'x', diff: '' }] });
  assert.equal(edit.answer, 'no');
  assert.match((edit as { reason: string }).reason, /--auto-edit/);
  const ask = nonInteractiveAnswer({ command: 'ask', allowSandboxedRuns: false }, { kind: 'exec', command: 'ls', sandbox: 'docker' });
  assert.equal(ask.answer, 'no');
  for (const command of ['run', 'ask'] as const) {
    const secret = nonInteractiveAnswer({ command, allowSandboxedRuns: true }, { kind: 'read-secret', path: '.env', reason: 'a `.env*` file' });
    assert.equal(secret.answer, 'no');
    assert.match(
      (secret as { reason: string }).reason,
      new RegExp(`^\\.env looks like it holds secrets \\(a \`\\.env\\*\` file\\), and \`assist ${command}\` has no person to ask`),
    );
  }
});

test('--json writes one event per line and leaves tokens out', () => {
  const lines: string[] = [];
  const write = jsonEventWriter((l) => lines.push(l));
  write({ type: 'token', text: 'x' });
  write({ type: 'user', text: 'hi' });
  write({ type: 'done', exitCode: 0, success: true });
  assert.deepEqual(lines, ['{"type":"user","text":"hi"}\n', '{"type":"done","exitCode":0,"success":true}\n']);
});

test('on a full disk (real tmpfs) the output folder is a TaskOutputError naming the files and bytes, with no temp file left', async (t) => {
  const disk = mountSmallDisk(t, 256 * 1024);
  if (!disk) return;
  const outputDir = path.join(disk.dir, 'output');
  const big = { ...passing, code: `print(1)\n${'# padding\n'.repeat(3000)}` };
  const result: TurnResult = {
    status: 'answered',
    text: 'ok',
    steps: 1,
    attempts: [big],
    best: big,
    usage: { promptTokens: 1, completionTokens: 1 },
    changed: [],
    verified: false,
  };
  const input = { outputDir, task: 't', result, events: [], model: 'm', startedAt: new Date('2026-01-02T03:04:05Z'), success: true };

  await fs.mkdir(outputDir);
  disk.fill(8 * 1024);
  assert.throws(
    () => writeTaskOutput(input),
    (e: unknown) => {
      assert.ok(e instanceof TaskOutputError, String(e));
      assert.match(
        e.message,
        /^final_code\.py, (execution_log\.txt, )?debug_history\.json could not be written in \S+task_20260102_030405: the disk is full \(\d+ bytes needed\)\./,
      );
      return true;
    },
  );
  const left = await fs.readdir(outputDir, { recursive: true });
  assert.deepEqual(
    left.filter((f) => !/^task_20260102_030405(\/execution_log\.txt)?$/.test(f)),
    [],
    `only what was written completely: ${left}`,
  );

  disk.free();
  const out = writeTaskOutput(input);
  assert.equal(await fs.readFile(path.join(out, 'final_code.py'), 'utf8'), big.code);
});
