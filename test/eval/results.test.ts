import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, median, summarize, type TaskResult } from '../../src/eval/results.ts';

function result(over: Partial<TaskResult>): TaskResult {
  return {
    id: 't', language: 'python', kind: 'write', passed: true, status: 'answered', steps: 2, maxSteps: 6, attempts: 1, failedRuns: 0, maxAttempts: 3,
    promptTokens: 100, completionTokens: 20, seconds: 2, setupSeconds: 0.2, checkSeconds: 0.5, actions: 2, validActions: 2, allValidActions: true, invalidActions: [], cutOffSteps: [],
    withinBounds: true, answer: '', sessionLog: 'tasks/t/session.jsonl', ...over,
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
