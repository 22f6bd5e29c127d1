/**
 * The eval runner on the real agent, workspace, tools and sandbox, with a ScriptedModel standing in
 * for the model (the real-model tier is `npm run e2e`).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaults, type Config } from '../../src/config/schema.ts';
import { ModelError, type Action } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { formatTable } from '../../src/eval/results.ts';
import { runEval, type EvalProgress } from '../../src/eval/runner.ts';
import { loadSuite } from '../../src/eval/suite.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { builtinTools } from '../../tools/index.ts';

const answer = (text: string): Action => ({ thought: 'done', tool: 'answer', args: { text } });

async function makeSuite(root: string): Promise<void> {
  const write = async (rel: string, text: string) => {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  };
  await write(
    'ask-port/task.json',
    JSON.stringify({ id: 'ask-port', prompt: 'Which port?', language: 'go', kind: 'question', answer: { pattern: '\\b8417\\b' } }),
  );
  await write('ask-port/workspace/main.go', 'package main\n\nconst port = 8417\n');
  await write(
    'hello/task.json',
    JSON.stringify({
      id: 'hello',
      prompt: 'Create hello.py printing Hello, world!',
      language: 'python',
      kind: 'write',
      check: 'test "$(python3 hello.py)" = "Hello, world!"',
      maxSteps: 3,
    }),
  );
  await write('hello/workspace/.gitkeep', '');
}

function config(): Config {
  const c = structuredClone(defaults);
  c.agent.maxSteps = 4;
  c.agent.maxAttempts = 2;
  return c;
}

/** True when a sandbox is usable; in CI its absence is a failure, locally a skip. */
async function sandboxAvailable(t: TestContext): Promise<boolean> {
  const probeDir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-probe-'));
  const probe = await openSandbox(config(), { root: probeDir });
  await probe.sandbox?.dispose();
  await fs.rm(probeDir, { recursive: true, force: true });
  if (probe.sandbox) return true;
  if (process.env.CI) assert.fail(`No sandbox in CI: ${probe.reason}`);
  t.skip(`no sandbox here: ${probe.reason}`);
  return false;
}

test('runEval runs each task in a fresh copy, checks it in the sandbox, and writes complete artifacts', { timeout: 300_000 }, async (t) => {
  if (!(await sandboxAvailable(t))) return;
  const writeTool = builtinTools.find((tool) => tool.name === 'write_file');
  assert.ok(writeTool, `no write_file tool registered (tools: ${builtinTools.map((x) => x.name).join(', ')})`);

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-run-'));
  try {
    await makeSuite(path.join(dir, 'suite'));
    const tasks = await loadSuite(path.join(dir, 'suite'));
    const scripts: Record<string, Action[]> = {
      'ask-port': [{ thought: 'bad call', tool: 'no_such_tool', args: {} }, answer('It listens on 8417.')],
      hello: [{ thought: 'write it', tool: 'write_file', args: { path: 'hello.py', content: 'print("Hello, world!")\n' } }, answer('Created hello.py.')],
    };
    const events: EvalProgress[] = [];
    const run = await runEval({
      tasks,
      config: config(),
      model: new ScriptedModel([]),
      modelForTask: (task) => new ScriptedModel(scripts[task.id]),
      outDir: path.join(dir, 'out'),
      onProgress: (e) => events.push(e),
    });
    const [ask, hello] = run.results;
    assert.equal(ask.id, 'ask-port');
    assert.equal(ask.passed, true, ask.reason);
    assert.equal(ask.actions, 2);
    assert.equal(ask.validActions, 1, 'the call to a tool that does not exist is not a valid action');
    assert.equal(ask.allValidActions, false);
    assert.match(ask.invalidActions[0], /step 1: .*no_such_tool/);
    assert.equal(hello.passed, true, hello.reason);
    assert.equal(hello.allValidActions, true);
    assert.equal(hello.maxSteps, 3, "the task's own maxSteps wins");
    assert.equal(hello.withinBounds, true);
    assert.equal(run.summary.tasks, 2);
    assert.equal(run.summary.passed, 2);
    assert.equal(run.summary.validActionRate, 0.75);
    assert.deepEqual(
      events.filter((e) => e.type === 'task-end').map((e) => (e.type === 'task-end' ? e.result.id : '')),
      ['ask-port', 'hello'],
    );

    const stored = JSON.parse(readFileSync(run.resultsFile, 'utf8')) as typeof run;
    assert.deepEqual(stored.summary, run.summary);
    for (const id of ['ask-port', 'hello']) {
      const taskDir = path.join(run.outDir, 'tasks', id);
      const log = readFileSync(path.join(taskDir, 'session.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string });
      assert.equal(log.filter((e) => e.type === 'result').length, 1, `${id}: one turn result in the session log`);
      assert.ok(existsSync(path.join(taskDir, 'check.txt')));
    }
    assert.equal(readFileSync(path.join(run.outDir, 'tasks', 'hello', 'workspace', 'hello.py'), 'utf8'), 'print("Hello, world!")\n');
    assert.ok(!existsSync(path.join(dir, 'suite', 'hello', 'workspace', 'hello.py')), "the suite's workspace is never touched");
    assert.match(formatTable(run.results, run.summary), /passed 2\/2 \(100%\).*valid actions 3\/4/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a wrong answer, an unfinished task and the step bound are reported with reasons', { timeout: 300_000 }, async (t) => {
  if (!(await sandboxAvailable(t))) return;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-fail-'));
  try {
    await makeSuite(path.join(dir, 'suite'));
    const tasks = await loadSuite(path.join(dir, 'suite'));
    const lookAround: Action = { thought: 'look', tool: 'run_in_sandbox', args: { language: null, code: null, command: 'ls' } };
    const scripts: Record<string, Action[]> = {
      'ask-port': [answer('Port 8080.')],
      hello: [lookAround, { ...lookAround, args: { ...lookAround.args, command: 'ls -a' } }, answer('I could not do it.')],
    };
    const run = await runEval({
      tasks,
      config: config(),
      model: new ScriptedModel([]),
      modelForTask: (task) => new ScriptedModel(scripts[task.id]),
      outDir: path.join(dir, 'out'),
    });
    const [ask, hello] = run.results;
    assert.equal(ask.passed, false);
    assert.match(ask.reason ?? '', /answer "Port 8080\." does not match/);
    assert.equal(hello.passed, false);
    assert.equal(hello.steps, 3);
    assert.equal(hello.status, 'max_steps', 'the last allowed step ends the turn');
    assert.match(hello.reason ?? '', /^max_steps; /);
    assert.equal(hello.withinBounds, true);
    assert.equal(run.summary.passed, 0);
    assert.equal(run.summary.passRate, 0);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

/** A scripted model whose first step runs out of tokens before its action is complete. */
class CutOffFirstModel extends ScriptedModel {
  private cut = false;
  override async next(...args: Parameters<ScriptedModel['next']>): ReturnType<ScriptedModel['next']> {
    if (!this.cut) {
      this.cut = true;
      throw new ModelError('invalid_output', 'The action was cut off after 8 tokens without completing.', { cutOff: true });
    }
    return super.next(...args);
  }
}

test('a step cut off at the token limit is reported as such, not as an invalid action', { timeout: 300_000 }, async (t) => {
  if (!(await sandboxAvailable(t))) return;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-cut-'));
  try {
    await makeSuite(path.join(dir, 'suite'));
    const tasks = (await loadSuite(path.join(dir, 'suite'))).filter((task) => task.id === 'ask-port');
    const run = await runEval({
      tasks,
      config: config(),
      model: new ScriptedModel([]),
      modelForTask: () => new CutOffFirstModel([answer('It listens on 8417.')]),
      outDir: path.join(dir, 'out'),
    });
    const [ask] = run.results;
    assert.equal(ask.passed, true, ask.reason);
    assert.deepEqual(ask.cutOffSteps, ['step 1: The action was cut off after 8 tokens without completing.']);
    assert.deepEqual(ask.invalidActions, []);
    assert.equal(ask.allValidActions, true);
    assert.equal(run.summary.validActionRate, 1);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

/** A scripted model whose steps numbered in `cut` (1-based) run out of tokens instead. */
class CutOffStepsModel extends ScriptedModel {
  private calls = 0;
  constructor(
    private readonly cut: number[],
    steps: Action[],
  ) {
    super(steps);
  }
  override async next(...args: Parameters<ScriptedModel['next']>): ReturnType<ScriptedModel['next']> {
    if (this.cut.includes(++this.calls))
      throw new ModelError('invalid_output', `The action was cut off after 8 tokens without completing (call ${this.calls}).`, { cutOff: true });
    return super.next(...args);
  }
}

/** A model that hangs until its step is cancelled, holding nothing that keeps the process alive. */
class WaitingModel extends ScriptedModel {
  override async next(
    _messages: Parameters<ScriptedModel['next']>[0],
    _schema: Parameters<ScriptedModel['next']>[1],
    options: Parameters<ScriptedModel['next']>[2] = {},
  ): ReturnType<ScriptedModel['next']> {
    const signal = options.signal;
    if (!signal) throw new Error('the agent gave the model no signal');
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    throw new ModelError('aborted', 'The step was cancelled.');
  }
}

test('edit misses, cut-offs (also the one that ends a turn) and stop reasons are counted per task and summed per kind and language', {
  timeout: 300_000,
}, async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-counts-'));
  try {
    const suite = path.join(dir, 'suite');
    const write = async (rel: string, text: string) => {
      await fs.mkdir(path.dirname(path.join(suite, rel)), { recursive: true });
      await fs.writeFile(path.join(suite, rel), text);
    };
    // answer-only tasks: no check command, so no sandbox is needed
    await write(
      'fix-greeting/task.json',
      JSON.stringify({ id: 'fix-greeting', prompt: 'Fix the typo in greet.py.', language: 'python', kind: 'fix', answer: { pattern: 'fixed' } }),
    );
    await write('fix-greeting/workspace/greet.py', "def greet():\n    return 'helo'\n");
    await write(
      'ask-port/task.json',
      JSON.stringify({ id: 'ask-port', prompt: 'Which port?', language: 'go', kind: 'question', answer: { pattern: '8417' }, maxSteps: 2 }),
    );
    await write('ask-port/workspace/main.go', 'package main\n\nconst port = 8417\n');
    const tasks = await loadSuite(suite);
    const edit = (find: string, replace: string): Action => ({ thought: 'fix it', tool: 'edit_file', args: { path: 'greet.py', edits: [{ find, replace }] } });
    const models: Record<string, () => ScriptedModel> = {
      'fix-greeting': () => new ScriptedModel([edit("return 'hello'", "return 'hi'"), edit("return 'helo'", "return 'hello'"), answer('I fixed the typo.')]),
      // step 1 is cut off (the agent asks again), step 2 is the last and is cut off too: the turn ends as a model error
      'ask-port': () => new CutOffStepsModel([1, 2], []),
    };
    const run = await runEval({
      tasks,
      config: config(),
      model: new ScriptedModel([]),
      modelForTask: (task) => models[task.id](),
      outDir: path.join(dir, 'out'),
    });
    const [ask, fix] = run.results;
    assert.equal(fix.id, 'fix-greeting');
    assert.equal(fix.passed, true, fix.reason);
    assert.equal(fix.editActions, 2);
    assert.equal(fix.editMisses, 1, 'the edit whose text to find is not in the file');
    assert.equal(fix.cutOffs, 0);
    assert.equal(fix.stopReason, 'answered');
    assert.equal(readFileSync(path.join(run.outDir, 'tasks', 'fix-greeting', 'workspace', 'greet.py'), 'utf8'), "def greet():\n    return 'hello'\n");

    assert.equal(ask.passed, false);
    assert.equal(ask.cutOffs, 2, 'both cut-offs, also the one that ended the turn');
    assert.equal(ask.cutOffSteps.length, 2);
    assert.match(ask.cutOffSteps[1], /^step 2: The action was cut off .*\(call 2\)/);
    assert.equal(ask.stopReason, 'model_error');
    assert.equal(ask.editActions, 0);
    assert.deepEqual(ask.invalidActions, [], 'a cut-off is not an invalid action');

    const s = run.summary;
    assert.deepEqual([s.editActions, s.editMisses, s.editMissRate, s.cutOffs], [2, 1, 0.5, 2]);
    assert.deepEqual(s.byKind.fix, { ...s.byLanguage.python });
    assert.deepEqual([s.byKind.fix.tasks, s.byKind.fix.passed, s.byKind.fix.editMisses, s.byKind.fix.cutOffs], [1, 1, 1, 0]);
    assert.deepEqual([s.byKind.question.tasks, s.byKind.question.passed, s.byKind.question.cutOffs], [1, 0, 2]);
    assert.deepEqual(s.byKind.question.stopReasons, { model_error: 1 });
    assert.deepEqual(s.byLanguage.go.stopReasons, { model_error: 1 });
    assert.deepEqual(run.settings, {
      contextSize: 8192,
      maxTokens: defaults.model.maxTokens,
      temperature: 0.2,
      threads: 0,
      maxSteps: 4,
      maxAttempts: 2,
      taskTimeoutSeconds: 900,
      actionFormat: 'text',
    });
    const stored = JSON.parse(readFileSync(run.resultsFile, 'utf8')) as typeof run;
    assert.deepEqual(stored.summary.byKind, s.byKind);
    assert.equal(stored.results[1].editMisses, 1);

    const slow = await runEval({
      tasks: tasks.filter((t) => t.id === 'ask-port'),
      config: config(),
      model: new WaitingModel([]),
      outDir: path.join(dir, 'slow'),
      taskTimeoutMs: 200,
    });
    assert.equal(slow.results[0].stopReason, 'task time limit');
    assert.equal(slow.results[0].status, 'aborted');
    assert.equal(slow.results[0].withinBounds, false);
    assert.match(slow.results[0].reason ?? '', /^task time limit; /);
    assert.equal(slow.settings.taskTimeoutSeconds, 0.2);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('an eval task never reads a secret-looking file: no one is there to ask, and the model is told so', { timeout: 300_000 }, async (t) => {
  if (!(await sandboxAvailable(t))) return;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-secret-'));
  try {
    await makeSuite(path.join(dir, 'suite'));
    await fs.writeFile(path.join(dir, 'suite', 'ask-port', 'workspace', '.env'), 'PORT=8417\nAPI_KEY=sk-live-123\n');
    const tasks = (await loadSuite(path.join(dir, 'suite'))).filter((task) => task.id === 'ask-port');
    const events: EvalProgress[] = [];
    const model = new ScriptedModel([
      { thought: 'check the env', tool: 'read_file', args: { path: '.env', startLine: null, endLine: null } },
      answer('It listens on 8417.'),
    ]);
    await runEval({
      tasks,
      config: config(),
      model: new ScriptedModel([]),
      modelForTask: () => model,
      outDir: path.join(dir, 'out'),
      onProgress: (e) => events.push(e),
    });
    const observation = events.find((e) => e.type === 'agent' && e.event.type === 'observation' && e.event.tool === 'read_file');
    assert.ok(observation && observation.type === 'agent' && observation.event.type === 'observation');
    assert.equal(observation.event.result.error?.code, 'rejected');
    assert.match(observation.event.result.forModel, /the eval has no person to ask, so it is not read/);
    assert.doesNotMatch(JSON.stringify(model.prompts), /sk-live-123/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
