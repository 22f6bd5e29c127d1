import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttemptTracker, failureCount } from '../../src/agent/attempts.ts';
import { RepeatDetector, runFingerprint } from '../../src/agent/repeat-detector.ts';
import { TurnLedger } from '../../src/agent/turn-ledger.ts';
import { toolError } from '../../tools/tool.ts';

const run = (exitCode: number | null, stdout: string, timedOut = false) => ({ exitCode, timedOut, command: 'pytest', stdout, stderr: '', durationMs: 5 });

test('failure counts are read from common test runners', () => {
  assert.equal(failureCount('==== 2 failed, 3 passed in 0.1s ===='), 2);
  assert.equal(failureCount('# tests 5\n# pass 4\n# fail 1\n'), 1);
  assert.equal(failureCount('ℹ tests 3\nℹ fail 3\n'), 3);
  assert.equal(failureCount('--- FAIL: TestA\n--- FAIL: TestB\nFAIL'), 2);
  assert.equal(failureCount('7 runs, 3 assertions, 1 failures, 4 errors, 0 skips'), 5, 'minitest: failures and errors');
  assert.equal(failureCount('Tests run: 6, Failures: 2, Errors: 1, Skipped: 0'), 3, 'JUnit');
  assert.equal(failureCount('ok 1\nnot ok 2\n6 test(s) failed\n'), 6, 'a shell test script');
  assert.equal(failureCount('FAIL format_size(1024): expected "1.0 KiB"\nFAIL format_size(0)\nok 3\n'), 2, 'a line per failed test');
  assert.equal(failureCount('Traceback: boom'), undefined);
});

test('the best attempt is the last passing run, else the one with fewest failures', () => {
  const t = new AttemptTracker();
  t.add(run(1, '3 failed'));
  t.add(run(1, '1 failed'));
  t.add(run(null, '', true));
  assert.equal(t.failures(), 3);
  assert.equal(t.best()?.attempt, 2);
  t.add(run(0, '4 passed'));
  t.add(run(1, '1 failed'));
  assert.equal(t.best()?.attempt, 4);
  assert.ok(t.best()?.passed);
  assert.match(t.summary(), /1\. pytest → exit 1: 3 failed\n.*\n  3\. pytest → timed out/);
});

test('an action repeated with the same result warns once, then stops; a different result never trips it', () => {
  const d = new RepeatDetector();
  const action = { thought: '', tool: 'run_tests', args: { b: 1, a: 2 } };
  const same = { thought: 'again', tool: 'run_tests', args: { a: 2, b: 1 } };
  const failed = { forModel: 'x', run: run(1, '1 failed') };
  assert.equal(d.check(action, failed), 'ok');
  assert.equal(d.check(same, failed), 'warn');
  assert.equal(d.check(action, { forModel: 'x', run: run(1, '2 failed') }), 'ok', 'a different result is progress');
  assert.equal(d.check(same, failed), 'stop');
  for (let i = 0; i < 5; i++) assert.equal(d.check({ thought: '', tool: 'list_files', args: {} }, { forModel: `${i} files` }), 'ok');
  const err = toolError('not_found', 'no file');
  assert.equal(d.check({ thought: '', tool: 'read_file', args: { path: 'x' } }, err), 'ok');
  assert.equal(d.check({ thought: '', tool: 'read_file', args: { path: 'x' } }, err), 'warn');
});

test('runs of shuffled tests that fail the same way are the same run: not a new attempt, and a repeat', () => {
  // minitest as ruby-csv-line ran it, unchanged, twice: another seed, another order, other rates
  const first =
    'Run options: --seed 28910\n\n# Running:\n\n..FF...\n\nFinished in 0.000947s, 7392.0132 runs/s, 7392.0132 assertions/s.\n\n' +
    '  1) Failure:\nCsvLineTest#test_doubled [csv_line_test.rb:18]:\nExpected: ["a"]\n  Actual: ["b"]\n\n' +
    '  2) Failure:\nCsvLineTest#test_unterminated [csv_line_test.rb:22]:\nArgumentError expected but nothing was raised.\n\n7 runs, 7 assertions, 2 failures, 0 errors, 0 skips\n';
  const second =
    'Run options: --seed 5692\n\n# Running:\n\n.....FF\n\nFinished in 0.001600s, 4374.4860 runs/s, 4374.4860 assertions/s.\n\n' +
    '  1) Failure:\nCsvLineTest#test_unterminated [csv_line_test.rb:22]:\nArgumentError expected but nothing was raised.\n\n' +
    '  2) Failure:\nCsvLineTest#test_doubled [csv_line_test.rb:18]:\nExpected: ["a"]\n  Actual: ["b"]\n\n7 runs, 7 assertions, 2 failures, 0 errors, 0 skips\n';
  assert.equal(runFingerprint(first), runFingerprint(second));
  assert.notEqual(runFingerprint(first), runFingerprint(second.replace('Actual: ["b"]', 'Actual: ["c"]')), 'another value is another failure');
  assert.notEqual(runFingerprint(first), runFingerprint(first.replace('..FF...', '.FFF...')), 'another count of failures is another run');
  assert.notEqual(runFingerprint('c\nb\na\nFAIL 1\n'), runFingerprint('a\nb\nc\nFAIL 1\n'), 'without a seed, order is output');

  const d = new RepeatDetector();
  const action = { thought: '', tool: 'run_tests', args: { command: null } };
  assert.equal(d.check(action, { forModel: 'x', run: run(1, first) }), 'ok');
  assert.equal(d.check(action, { forModel: 'y', run: run(1, second) }), 'warn');

  const ledger = new TurnLedger('ruby csv_line_test.rb');
  const recorded = [first, second, first].map((out) => ledger.record({ forModel: 'x', run: run(1, out) }));
  assert.deepEqual(
    recorded.map((r) => r.repeat),
    [false, true, true],
  );
});
