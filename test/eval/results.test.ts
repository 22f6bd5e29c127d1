import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, median, summarize, type TaskResult } from '../../src/eval/results.ts';

function result(over: Partial<TaskResult>): TaskResult {
  return {
    id: 't',
    language: 'python',
    kind: 'write',
    passed: true,
    status: 'answered',
    steps: 2,
    maxSteps: 6,
    attempts: 1,
    failedRuns: 0,
    maxAttempts: 3,
    promptTokens: 100,
    completionTokens: 20,
    seconds: 2,
    setupSeconds: 0.2,
    checkSeconds: 0.5,
    actions: 2,
    validActions: 2,
    allValidActions: true,
    invalidActions: [],
    cutOffSteps: [],
    cutOffs: 0,
    editActions: 1,
    editMisses: 0,
    stopReason: 'answered',
    withinBounds: true,
    answer: '',
    sessionLog: 'tasks/t/session.jsonl',
    ...over,
  };
}

test('median of odd, even and empty lists', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), 0);
});

test('summarize counts passes, medians and the valid-action rate over all steps', () => {
  const s = summarize([
    result({ id: 'a', attempts: 0, seconds: 1 }),
    result({ id: 'b', passed: false, reason: 'check exited 1', attempts: 3, seconds: 9, actions: 4, validActions: 3, allValidActions: false }),
    result({ id: 'c', attempts: 1, seconds: 4, withinBounds: false }),
  ]);
  assert.equal(s.tasks, 3);
  assert.equal(s.passed, 2);
  assert.equal(s.passRate, 0.67);
  assert.equal(s.medianAttempts, 1);
  assert.equal(s.medianSeconds, 4);
  assert.equal(s.actions, 8);
  assert.equal(s.validActions, 7);
  assert.equal(s.validActionRate, 0.875);
  assert.equal(s.allWithinBounds, false);
  const stepless = summarize([result({ id: 'd', actions: 0, validActions: 0 })]);
  assert.equal(stepless.validActionRate, 1, 'no model step: none invalid (the e2e check asks for 1)');
});

test('the table shows one row per task with the failure reason, and the totals', () => {
  const results = [result({ id: 'py-hello' }), result({ id: 'rust-add', language: 'rust', passed: false, reason: 'check exited 101: error' })];
  const table = formatTable(results, summarize(results));
  const lines = table.split('\n');
  assert.match(lines[0], /^task\s+lang\s+kind\s+result/);
  assert.match(lines[2], /^py-hello\s+python\s+write\s+PASS/);
  assert.match(lines[3], /^rust-add\s+rust\s+write\s+FAIL.*check exited 101: error$/);
  assert.match(table, /passed 1\/2 \(50%\)/);
});

test('summarize sums each kind and each language: passes, steps, seconds, edit misses, cut-offs, stop reasons', () => {
  const s = summarize([
    result({ id: 'a', kind: 'fix', language: 'python', steps: 4, seconds: 10, editActions: 3, editMisses: 2, cutOffs: 1, completionTokens: 50 }),
    result({ id: 'b', kind: 'fix', language: 'go', passed: false, steps: 6, seconds: 30, editActions: 1, editMisses: 1, stopReason: 'task time limit' }),
    result({ id: 'c', kind: 'question', language: 'python', steps: 1, seconds: 2, editActions: 0, actions: 1, validActions: 1 }),
  ]);
  assert.deepEqual(Object.keys(s.byKind), ['fix', 'question']);
  assert.deepEqual(Object.keys(s.byLanguage), ['go', 'python'], 'groups sorted by name');
  const fix = s.byKind.fix;
  assert.equal(fix.tasks, 2);
  assert.equal(fix.passed, 1);
  assert.equal(fix.passRate, 0.5);
  assert.equal(fix.steps, 10);
  assert.equal(fix.seconds, 40);
  assert.equal(fix.medianSeconds, 20);
  assert.equal(fix.completionTokens, 70);
  assert.equal(fix.editActions, 4);
  assert.equal(fix.editMisses, 3);
  assert.equal(fix.editMissRate, 0.75);
  assert.equal(fix.cutOffs, 1);
  assert.deepEqual(fix.stopReasons, { answered: 1, 'task time limit': 1 });
  assert.equal(s.byKind.question.editMissRate, 0, 'no edits: no miss rate');
  assert.equal(s.byLanguage.python.tasks, 2);
  assert.equal(s.byLanguage.python.passed, 2);
  assert.equal(s.byLanguage.python.cutOffs, 1);
  assert.equal(s.editActions, 4);
  assert.equal(s.editMisses, 3);
  assert.equal(s.editMissRate, 0.75);
  assert.equal(s.cutOffs, 1);
  assert.equal(s.actions, 5);
});

test('the table ends with a per-kind and a per-language table and totals that count edit misses and cut-offs', () => {
  const results = [
    result({ id: 'py-fix', kind: 'fix', editActions: 2, editMisses: 1, cutOffs: 2, seconds: 3 }),
    result({ id: 'go-ask', kind: 'question', language: 'go', passed: false, reason: 'answer does not match', editActions: 0 }),
  ];
  const table = formatTable(results, summarize(results));
  assert.match(table, /^py-fix\s+python\s+fix\s+PASS\s+.*\s1\/2\s+2$/m, 'a task row shows its edit misses of edits and its cut-offs');
  assert.match(table, /^kind\s+tasks\s+passed\s+pass rate\s+median time\s+edit misses\s+cut-offs$/m);
  assert.match(table, /^fix\s+1\s+1\s+100%\s+3\.0s\s+1\/2\s+2$/m);
  assert.match(table, /^question\s+1\s+0\s+0%\s+2\.0s\s+-\s+0$/m);
  assert.match(table, /^language\s+tasks\s+passed/m);
  assert.match(table, /^go\s+1\s+0\s+0%/m);
  assert.match(table, /edit misses 1\/2, cut-offs 2/);
});

test('repeated runs of a task (--repeat) get a per-task table; single runs do not', () => {
  const results = [
    result({ id: 'js-fix', kind: 'fix', language: 'javascript' }),
    result({ id: 'js-fix.r2', kind: 'fix', language: 'javascript', passed: false, reason: 'check failed' }),
    result({ id: 'js-fix.r3', kind: 'fix', language: 'javascript' }),
    result({ id: 'py-ask', kind: 'question' }),
  ];
  const table = formatTable(results, summarize(results));
  assert.match(table, /^task\s+tasks\s+passed\s+pass rate/m);
  assert.match(table, /^js-fix\s+3\s+2\s+67%/m, 'the runs of one task summed');
  assert.match(table, /^py-ask\s+1\s+1\s+100%/m);
  const single = [result({ id: 'js-fix' }), result({ id: 'py-ask' })];
  assert.doesNotMatch(formatTable(single, summarize(single)), /^task\s+tasks\s+passed/m);
});
