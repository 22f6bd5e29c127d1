import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEvent } from '../../src/agent/events.ts';
import { ModelError, type Action } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { editMissCodes, isEditTool, reportingCutOffs, TaskTally } from '../../src/eval/tally.ts';
import { toolError, toolErrorCodes } from '../../tools/tool.ts';

const usage = { promptTokens: 1, completionTokens: 1, cachedTokens: 0 };
const timings = { firstTokenMs: 0, totalMs: 0 };
const action = (step: number, tool: string): AgentEvent => ({ type: 'action', step, action: { thought: '', tool, args: {} }, usage, timings });
const observation = (step: number, tool: string, result = { forModel: 'Applied: a.py (edited, +1 -1).' }): AgentEvent => ({
  type: 'observation',
  step,
  tool,
  result,
  durationMs: 1,
});

test('edit misses are edit-tool failures to apply the change as asked; other failures are not', () => {
  const tally = new TaskTally(() => true);
  const events: AgentEvent[] = [
    action(1, 'edit_file'),
    observation(1, 'edit_file', toolError('no_match', 'the text to find was not found')),
    action(2, 'edit_files'),
    observation(2, 'edit_files', toolError('ambiguous', 'found 3 times')),
    action(3, 'write_file'),
    observation(3, 'write_file', toolError('stale', 'changed on disk')),
    action(4, 'delete_file'),
    observation(4, 'delete_file', toolError('not_found', 'no such file')),
    action(5, 'edit_file'),
    observation(5, 'edit_file', toolError('rejected', 'the user said no')),
    action(6, 'edit_file'),
    observation(6, 'edit_file', toolError('invalid_args', 'no edits')),
    action(7, 'edit_file'),
    observation(7, 'edit_file'),
    action(8, 'read_file'),
    observation(8, 'read_file', toolError('not_found', 'no such file')),
    action(9, 'search_code'),
    observation(9, 'search_code', toolError('no_match', 'nothing found')),
  ];
  events.forEach((e) => tally.onEvent(e));
  const counts = tally.counts();
  assert.equal(counts.editActions, 7, 'write, edit, edit_files and delete are file-changing actions; read and search are not');
  assert.equal(counts.editMisses, 4, 'no_match, ambiguous, stale, not_found on edit tools; not rejected, invalid_args, or a read');
  assert.equal(counts.actions, 9);
  assert.equal(counts.validActions, 9);
});

test('the edit-tool set and the miss codes stay what the tools report', () => {
  for (const tool of ['write_file', 'edit_file', 'edit_files', 'delete_file']) assert.ok(isEditTool(tool), tool);
  for (const tool of ['read_file', 'list_files', 'search_code', 'run_tests', 'run_in_sandbox', 'answer']) assert.ok(!isEditTool(tool), tool);
  for (const code of editMissCodes) assert.ok((toolErrorCodes as readonly string[]).includes(code), `${code} is a tool error code`);
});

/** A scripted model whose first `cuts` steps run out of tokens. */
class CutOffModel extends ScriptedModel {
  private calls = 0;
  constructor(
    private readonly cuts: number,
    steps: Action[],
  ) {
    super(steps);
  }
  override async next(...args: Parameters<ScriptedModel['next']>): ReturnType<ScriptedModel['next']> {
    if (this.calls++ < this.cuts) throw new ModelError('invalid_output', `The action was cut off after 8 tokens (${this.calls}).`, { cutOff: true });
    return super.next(...args);
  }
}

test('every cut-off is counted, also one that ends the turn, and none is an invalid action', async () => {
  const tally = new TaskTally(() => true);
  const inner = new CutOffModel(2, [{ thought: '', tool: 'answer', args: { text: 'ok' } }]);
  const model = reportingCutOffs(inner, (message) => tally.cutOff(message));
  assert.equal(model.info, inner.info);
  tally.onEvent({ type: 'step', step: 1, maxSteps: 3 });
  await assert.rejects(model.next([], { type: 'string' }), (e: Error) => e instanceof ModelError && e.cutOff);
  tally.onEvent({ type: 'invalid_action', step: 1, message: 'The action was cut off after 8 tokens (1).', cutOff: true });
  tally.onEvent({ type: 'step', step: 2, maxSteps: 3 });
  // the agent reports this one only as the turn's model error: no invalid_action event follows
  await assert.rejects(model.next([], { type: 'string' }), (e: Error) => e instanceof ModelError && e.cutOff);
  await assert.rejects(
    reportingCutOffs(new ScriptedModel([]), (m) => tally.cutOff(m)).next([], { type: 'string' }),
    /ran out of steps/,
    'other model errors pass through uncounted',
  );
  const counts = tally.counts();
  assert.equal(counts.cutOffs, 2);
  assert.deepEqual(counts.cutOffSteps, ['step 1: The action was cut off after 8 tokens (1).', 'step 2: The action was cut off after 8 tokens (2).']);
  assert.deepEqual(counts.invalidActions, []);
  assert.equal(counts.allValidActions, true);
});

test('an invalid action or an action outside the schema makes the task not all-valid', () => {
  const tally = new TaskTally((a) => (a as Action).tool !== 'bogus');
  tally.onEvent(action(1, 'bogus'));
  tally.onEvent({ type: 'invalid_action', step: 2, message: 'args do not match' });
  tally.onEvent(action(3, 'read_file'));
  const counts = tally.counts();
  assert.equal(counts.actions, 2);
  assert.equal(counts.validActions, 1);
  assert.equal(counts.allValidActions, false);
  assert.equal(counts.invalidActions.length, 2);
});

test('the cut-off counter passes fill-in-the-middle through, and adds none to a model without it', async () => {
  const inner = new ScriptedModel([], { infills: ['    return a + b\n'] });
  const model = reportingCutOffs(inner, () => {});
  assert.equal(await model.infill?.({ path: 'a.py', prefix: 'def f():\n', suffix: '', maxTokens: 8 }), '    return a + b\n');
  assert.equal(inner.infillRequests.length, 1);
  assert.equal(reportingCutOffs(new ScriptedModel([]), () => {}).infill, undefined);
});

test('the cut-off reporter keeps what else the model can do: fill in the middle and doubt lines, only when it can', async () => {
  const inner = new ScriptedModel([], { infills: ['    return a + b'], doubts: () => [{ line: 0, gap: 1, continued: 'x = 2' }] });
  const model = reportingCutOffs(inner, () => {});
  assert.equal(await model.infill?.({ path: 'a.py', prefix: 'def f():\n', suffix: '\n', maxTokens: 8 }), '    return a + b');
  assert.deepEqual(await model.doubts?.({ path: 'a.py', prefix: '', lines: ['x = 1'], maxDoubts: 1 }), [{ line: 0, gap: 1, continued: 'x = 2' }]);
  assert.equal(inner.doubtRequests.length, 1);
  const plain = reportingCutOffs(new ScriptedModel([]), () => {});
  assert.equal(plain.infill, undefined);
  assert.equal(plain.doubts, undefined);
});
