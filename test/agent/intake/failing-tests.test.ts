/**
 * The failing tests a run reports, found in the test files, and what they call: where a fix's
 * repair looks first when the failure output names no function of the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callsOfFailingTests, failingTestBodies, failingTestNames } from '../../../src/agent/intake/failing-tests.ts';

test("the failing tests of each runner's output are found by title or name", () => {
  const node = ['# Subtest: back-to-back bookings are fine', 'not ok 37 - back-to-back bookings are fine', '  ---', 'ok 38 - rule violations', '# fail 1'].join(
    '\n',
  );
  assert.deepEqual(failingTestNames(node), ['back-to-back bookings are fine']);
  const pytest = [
    'tests/test_config.py::test_defaults PASSED',
    'tests/test_config.py::test_environment_overrides_file FAILED',
    '=========================== short test summary info ============================',
    'FAILED tests/test_config.py::test_environment_overrides_file - AssertionError',
    'FAILED tests/test_report.py::TestWeekly::test_week_starts_sunday - assert 1 == 0',
  ].join('\n');
  assert.deepEqual(failingTestNames(pytest), ['test_environment_overrides_file', 'test_week_starts_sunday']);
  assert.deepEqual(failingTestNames('=== RUN   TestPop\n--- FAIL: TestPop (0.00s)\n    stack_test.go:12: got 2\nFAIL'), ['TestPop']);
  assert.deepEqual(failingTestNames('test tests::empty_is_zero ... FAILED\ntest tests::mean_of_three ... ok'), ['empty_is_zero']);
  assert.deepEqual(failingTestNames('  1) Failure:\nReportTest#test_by_tag [report_test.rb:9]:\nExpected: 2'), ['test_by_tag']);
  assert.deepEqual(failingTestNames('  ✕ sums a range (3 ms)\n  ✓ empty range'), ['sums a range']);
  assert.deepEqual(failingTestNames('rspec ./spec/slug_spec.rb:12 # Slug drops accents'), ['Slug drops accents']);
  assert.deepEqual(failingTestNames('ok 1 - all good\n# pass 1\n# fail 0'), [], 'a passing run names none');
});

test('a failing test is found in the test files and its calls read off its body', () => {
  const tests = [
    {
      path: 'test/services.test.ts',
      text: [
        "test('a booking is stored', () => {",
        '  const ctx = testContext();',
        '  assert.equal(listBookings(ctx).length, 0);',
        '});',
        '',
        "test('back-to-back bookings are fine', () => {",
        '  const ctx = testContext();',
        "  bookRoom(ctx, booking(1, '09:00', '10:00'));",
        "  bookRoom(ctx, booking(1, '10:00', '11:00'));",
        '});',
        '',
        "test('rule violations', () => {",
        '  assert.throws(() => checkRules(ctx));',
        '});',
      ].join('\n'),
    },
    { path: 'tests/test_calc.py', text: 'def test_other():\n    assert other() == 1\n\n\ndef test_add():\n    assert add(2, 3) == 5\n' },
  ];
  const bodies = failingTestBodies(['back-to-back bookings are fine'], tests);
  assert.equal(bodies.length, 1);
  assert.match(bodies[0], /^test\('back-to-back bookings are fine'/);
  assert.doesNotMatch(bodies[0], /rule violations|checkRules/, 'the body ends at the next test');
  assert.deepEqual(callsOfFailingTests('not ok 2 - back-to-back bookings are fine', tests), ['testContext', 'bookRoom', 'booking']);
  assert.deepEqual(callsOfFailingTests('FAILED tests/test_calc.py::test_add - assert -1 == 5', tests), ['add'], 'the test itself is not a call');
  assert.deepEqual(callsOfFailingTests('FAILED tests/test_calc.py::test_gone', tests), [], 'a test not in the files: nothing');
});
