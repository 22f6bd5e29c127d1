import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import chalk from 'chalk';
import { colourDiff } from '../../src/cli/render/colour-diff.ts';
import { diffStat } from '../../src/text/diff-stat.ts';
import { ThoughtStream } from '../../src/cli/render/thought-stream.ts';
import { firstLines, formatToolCall } from '../../src/cli/render/tool-call.ts';
import { formatProgressBar, ProgressLine } from '../../src/cli/render/progress-line.ts';
import { EventRenderer, formatTurnResult } from '../../src/cli/render/event-renderer.ts';
import { formatBanner } from '../../src/cli/render/banner.ts';
import { modelSummary } from '../../src/cli/render/model-line.ts';
import type { ModelInfo } from '../../src/model/language-model.ts';
import type { AgentEvent } from '../../src/agent/events.ts';

/** A stream that records what was written. */
function sink(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s), text: () => chunks.join(''), plain: () => stripVTControlCharacters(chunks.join('')) };
}

function withChalkLevel<T>(level: 0 | 1 | 2 | 3, fn: () => T): T {
  const saved = chalk.level;
  chalk.level = level;
  try {
    return fn();
  } finally {
    chalk.level = saved;
  }
}

const diff = '--- a/x.ts\n+++ b/x.ts\n@@ -1,2 +1,2 @@\n keep\n-old\n+new\n';

test('colourDiff colours additions and removals, and is plain at level 0 (NO_COLOR)', () => {
  const coloured = withChalkLevel(1, () => colourDiff(diff));
  assert.ok(coloured.includes('\x1b[32m+new'), 'additions green');
  assert.ok(coloured.includes('\x1b[31m-old'), 'removals red');
  assert.ok(coloured.includes('\x1b[36m@@'), 'hunks cyan');
  assert.equal(stripVTControlCharacters(coloured), diff);
  assert.equal(
    withChalkLevel(0, () => colourDiff(diff)),
    diff,
  );
  assert.deepEqual(diffStat(diff), { added: 1, removed: 1 });
});

test('ThoughtStream yields the thought as the JSON streams, across escapes split between chunks', () => {
  const raw = JSON.stringify({ thought: 'Read "a.ts"\nthen é\u00e9 fix', tool: 'read_file', args: { path: 'a.ts', thought: 'no' } });
  for (const size of [1, 2, 3, 7, raw.length]) {
    const stream = new ThoughtStream();
    let out = '';
    for (let i = 0; i < raw.length; i += size) out += stream.push(raw.slice(i, i + size));
    assert.equal(out, 'Read "a.ts"\nthen éé fix', `chunk size ${size}`);
  }
  const stream = new ThoughtStream();
  assert.equal(stream.push('{"tool":"x","args":{}'), '');
  assert.equal(stream.started, false);
  stream.reset();
  assert.equal(stream.push('{ "thought" : "hi\\u0021"'), 'hi!');
});

test('formatToolCall shows the tool and key args on one line', () => {
  assert.equal(formatToolCall({ tool: 'read_file', args: { path: 'src/a.ts', startLine: 10, endLine: null } }), 'read_file path=src/a.ts startLine=10');
  assert.equal(formatToolCall({ tool: 'write_file', args: { path: 'a.py', content: 'x = 1\ny = 2\n' } }), 'write_file path=a.py content=<2 lines>');
  assert.equal(formatToolCall({ tool: 'search', args: { pattern: 'foo bar' } }), 'search pattern="foo bar"');
  assert.equal(formatToolCall({ tool: 'list_files', args: {} }), 'list_files');
  const long = formatToolCall({ tool: 'run_in_sandbox', args: { command: 'x'.repeat(200) } });
  assert.ok(long.length < 90 && long.includes('…'), long);
  assert.equal(firstLines('a\nb\nc\nd\n', 2), 'a\nb\n… (2 more lines)');
  assert.equal(firstLines('a\nb', 2), 'a\nb');
});

test('progress bar: text, redrawn in place on a TTY, silent until finish elsewhere', () => {
  assert.equal(formatProgressBar(5, 10, 10), '[#####.....]  50% 5/10');
  assert.equal(formatProgressBar(0, 0, 4), '[....]   0% 0/0');
  const tty = sink(true);
  const bar = new ProgressLine(tty, 'indexing');
  bar.update(1, 4);
  bar.update(4, 4);
  bar.finish('ready');
  assert.equal(
    tty.text(),
    '\r\x1b[2Kindexing [######..................]  25% 1/4\r\x1b[2Kindexing [########################] 100% 4/4\r\x1b[2Kindexing ready\n',
  );
  const pipe = sink(false);
  const quiet = new ProgressLine(pipe, 'indexing');
  quiet.update(1, 4);
  quiet.finish('ready');
  assert.equal(pipe.text(), 'indexing ready\n');
});

test('EventRenderer streams the thought, prints compact calls, brief observations and the answer', () => {
  const out = sink();
  const err = sink();
  const r = new EventRenderer(out, err);
  const action = { thought: 'I will create hello.py', tool: 'write_file', args: { path: 'hello.py', content: 'print(1)\nprint(2)' } };
  const raw = JSON.stringify(action);
  const events: AgentEvent[] = [
    { type: 'user', text: 'make hello' },
    { type: 'step', step: 1, maxSteps: 10 },
    { type: 'token', text: raw.slice(0, 20) },
    { type: 'token', text: raw.slice(20) },
    { type: 'action', step: 1, action, usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0 }, timings: { firstTokenMs: 1, totalMs: 2 } },
    {
      type: 'approval',
      request: {
        kind: 'edit',
        changes: [{ path: 'hello.py', before: null, after: 'print(1)\n', diff: '--- /dev/null\n+++ b/hello.py\n@@ -0,0 +1 @@\n+print(1)\n' }],
      },
      decision: 'ask',
      answer: { answer: 'no', reason: 'use print(2)' },
    },
    {
      type: 'observation',
      step: 1,
      tool: 'write_file',
      result: { forModel: 'Error (rejected): declined', error: { code: 'rejected', message: 'The user declined: use print(2)' } },
      durationMs: 3,
    },
    { type: 'step', step: 2, maxSteps: 10 },
    {
      type: 'action',
      step: 2,
      action: { thought: 'List files', tool: 'list_files', args: {} },
      usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0 },
      timings: { firstTokenMs: 1, totalMs: 1 },
    },
    { type: 'observation', step: 2, tool: 'list_files', result: { forModel: 'a\nb\nc\nd\ne' }, durationMs: 1 },
    {
      type: 'attempt',
      attempt: 1,
      maxAttempts: 3,
      passed: false,
      run: { exitCode: 1, timedOut: false, command: 'pytest', stdout: '', stderr: 'boom', durationMs: 12 },
    },
    { type: 'notice', level: 'warn', message: 'repeated action' },
    { type: 'context', step: 2, promptTokens: 100, budget: 200, contextSize: 256, compacted: 0 },
    { type: 'result', status: 'answered', text: 'Done: hello.py prints 1.', steps: 2, attempts: 1 },
  ];
  for (const e of events) r.handle(e);
  assert.equal(
    out.plain(),
    [
      '✻ I will create hello.py',
      '→ write_file path=hello.py content=<2 lines>',
      '✗ create hello.py (+1 -0) declined: use print(2)',
      '  ✗ rejected: The user declined: use print(2)',
      '✻ List files',
      '→ list_files',
      '  a\n  b\n  c\n  … (2 more lines)',
      '✗ attempt 1/3: failed (exit 1, 12 ms)',
      '! repeated action',
      '',
      'Done: hello.py prints 1.',
      '(2 steps, 1 run)',
      '',
    ].join('\n'),
  );
  assert.equal(err.text(), '');
});

test('EventRenderer: auto-approved edits show their diff; index progress settles', async () => {
  const out = sink();
  const err = sink(true);
  const r = new EventRenderer(out, err);
  r.handle({
    type: 'approval',
    request: { kind: 'edit', changes: [{ path: 'a', before: 'x', after: 'y', diff: '-x\n+y\n' }] },
    decision: 'auto',
    answer: { answer: 'yes' },
  });
  assert.equal(out.plain(), '✓ edit a (+1 -1) (auto-approved)\n-x\n+y\n');
  const settled = r.indexSettled();
  r.handle({ type: 'index', status: 'progress', done: 1, total: 2 });
  assert.equal(r.indexing, 'progress');
  r.handle({ type: 'index', status: 'ready', done: 2, total: 2 });
  await settled;
  assert.match(stripVTControlCharacters(err.text()), /indexing \[.*\]  50% 1\/2.*indexing ready \(2 files\)\n$/s);
  assert.match(stripVTControlCharacters(r.indexStatus()), /^ready \(2 files\)$/);
});

test('formatTurnResult says why a turn stopped', () => {
  const plain = (s: string) => stripVTControlCharacters(s);
  assert.match(plain(formatTurnResult('max_attempts', 'Best attempt: #2', 9, 5)), /attempt limit.*\nBest attempt: #2\n\(9 steps, 5 runs\)/s);
  assert.match(plain(formatTurnResult('aborted', '', 1, 0)), /^Cancelled\. \(1 step\)\n$/);
});

test('formatBanner names model, context, sandbox (with reason), mode and index', () => {
  const text = stripVTControlCharacters(
    formatBanner({
      root: '/p',
      sessionId: 's1',
      resumed: true,
      model: { name: 'qwen', backend: 'embedded', contextSize: 8192 },
      sandbox: 'bwrap',
      sandboxReason: 'docker is not reachable',
      approvalMode: 'suggest',
      maxAttempts: 5,
      maxSteps: 30,
      indexStatus: 'ready (3 files)',
    }),
  );
  for (const part of ['qwen', '8,192 tokens', 'bwrap - docker is not reachable', 'suggest', 'ready (3 files)', 's1 (resumed)'])
    assert.ok(text.includes(part), part);
  const none = stripVTControlCharacters(
    formatBanner({
      root: '/p',
      sessionId: 's',
      resumed: false,
      model: { name: 'm', backend: 'scripted', contextSize: 1 },
      sandboxReason: 'install docker',
      approvalMode: 'full-auto',
      maxAttempts: 1,
      maxSteps: 1,
      indexStatus: 'disabled',
    }),
  );
  assert.ok(none.includes('unavailable - install docker'));
});

test('the banner and the model line say which server, constraint and context a model server uses', () => {
  const banner = (model: ModelInfo) =>
    stripVTControlCharacters(
      formatBanner({
        root: '/p',
        sessionId: 's',
        resumed: false,
        model,
        sandbox: 'docker',
        sandboxReason: 'docker',
        approvalMode: 'suggest',
        maxAttempts: 5,
        maxSteps: 30,
        indexStatus: 'ready',
      }),
    );
  const cpp: ModelInfo = {
    name: 'qwen',
    backend: 'openai',
    contextSize: 4096,
    grammar: true,
    server: { kind: 'llama.cpp', constraint: 'grammar', constraintFrom: 'server', contextFrom: '/props', contextAssumed: false },
  };
  assert.match(
    banner(cpp),
    /\nmodel {4}qwen \(openai, context 4,096 tokens\)\nserver {3}llama\.cpp · constraint grammar \(GBNF\), detected · context from \/props\n/,
  );
  assert.equal(modelSummary(cpp), 'qwen (openai: llama.cpp, constraint grammar (GBNF), detected, context 4,096 tokens from /props)');
  const plain: ModelInfo = {
    name: 'local',
    backend: 'openai',
    contextSize: 4096,
    server: {
      kind: 'llama-cpp-python',
      constraint: 'json_object',
      constraintFrom: 'fallback',
      contextFrom: 'assumed: the server does not say; set model.contextSize',
      contextAssumed: true,
    },
  };
  assert.match(
    banner(plain),
    /server {3}llama-cpp-python · constraint json_object \+ validation, nothing stronger answered · context assumed: the server does not say; set model\.contextSize/,
  );
  assert.equal(
    modelSummary({
      ...plain,
      server: {
        ...plain.server!,
        kind: 'Ollama 0.6.2',
        constraint: 'json_schema',
        constraintFrom: 'config',
        contextFrom: '/api/show, sent as num_ctx',
        contextAssumed: false,
      },
    }),
    'local (openai: Ollama 0.6.2, constraint json_schema, openai.constraint, context 4,096 tokens from /api/show, sent as num_ctx)',
  );
  const embedded: ModelInfo = { name: 'qwen', backend: 'embedded', contextSize: 32768, grammar: true };
  assert.ok(!banner(embedded).includes('server'), 'an in-process model has no server line');
  assert.equal(modelSummary(embedded), 'qwen (embedded, context 32,768 tokens)');
});

test('EventRenderer: an applied diff is summarised, a plain yes is not repeated, cancel is said once', () => {
  const out = sink();
  const r = new EventRenderer(out, sink());
  const request = { kind: 'edit' as const, changes: [{ path: 'a', before: 'x', after: 'y', diff: '--- a/a\n+++ b/a\n@@ -1 +1 @@\n-x\n+y\n' }] };
  r.handle({ type: 'approval', request, decision: 'ask', answer: { answer: 'yes' } });
  r.handle({
    type: 'observation',
    step: 1,
    tool: 'write_file',
    result: { forModel: 'Applied: a (edited, +1 -1).', forUser: request.changes[0].diff },
    durationMs: 1,
  });
  r.handle({ type: 'result', status: 'aborted', text: 'Cancelled.', steps: 1, attempts: 0 });
  assert.equal(out.plain(), '  Applied: a (edited, +1 -1).\nCancelled. (1 step)\n');
});
