/**
 * A bug report whose tests all pass: a test of the report's case is written first (reproduction.ts)
 * and judges the repair with the project's tests. The loop is under test, so the model's code
 * completion and doubts are scripted (ScriptedModel `infills`, `doubts`); the index, the sandbox runs
 * and the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type DoubtRequest, ModelError } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { repairSession, testConfig } from '../harness.ts';

const pages = 'def page_count(total, size):\n    """Pages that total items fill, size a page; an empty list has one."""\n    return max(1, total // size)\n';
const pageTests =
  'from pages import page_count\n\n\ndef test_fifty_items_make_two_pages():\n    assert page_count(50, 25) == 2\n\n\ndef test_no_items_make_one_page():\n    assert page_count(0, 25) == 1\n';
const report = 'Bug report: with 30 items and 25 a page, page_count says 1 page, so the last 5 items cannot be reached. Please fix it.';
const fixed = '    return max(1, -(-total // size))';
const doubts = (request: DoubtRequest) => {
  const line = request.lines.indexOf('    return max(1, total // size)');
  return line >= 0 ? [{ line, gap: 3, continued: fixed }] : [];
};

test('a bug report the tests pass: a test of its case fails first, the line that makes it pass is kept, and the test is not', async (t) => {
  const model = new ScriptedModel([], {
    infills: ['thirty_items_make_two_pages():\n    assert page_count(30, 25) == 2\n\n\ndef test_more():\n    pass\n'],
    doubts,
  });
  const s = await repairSession(t, { 'pages.py': pages, 'test_pages.py': pageTests }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn(report);
  assert.equal(result.status, 'answered', result.text);
  assert.equal(await readFile(path.join(s.root, 'pages.py'), 'utf8'), pages.replace('    return max(1, total // size)', fixed));
  assert.equal(await readFile(path.join(s.root, 'test_pages.py'), 'utf8'), pageTests, 'the test of the case is not kept');
  const asked = model.infillRequests[0];
  assert.equal(asked.path, 'test_pages.py');
  assert.equal(asked.suffix, '');
  assert.match(
    asked.prefix,
    /assert page_count\(50, 25\) == 2\n\n\n# A test of this report's case; it fails until the bug is fixed:\n# Bug report: with 30 items.*\ndef test_$/,
  );
  assert.ok(!asked.prefix.includes('test_no_items'), 'the file up to the nearest test, not the tests after it');
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  const notices = s.events.flatMap((e) => (e.type === 'notice' && /report's case/.test(e.message) ? [e.message] : []));
  assert.deepEqual(notices, ["Code completion wrote a test of the report's case in test_pages.py (greedy): it fails."]);
  const look = s.events.findLast((e) => e.type === 'intake');
  assert.ok(look?.type === 'intake');
  assert.match(
    look.result.forModel,
    /A test of the report's case, written first in test_pages\.py and not kept, failed .*\ndef test_thirty_items_make_two_pages/,
  );
});

test('a test that passes with the code, fails for a name it made up, or copies a test of the file, is no reproduction: no repair, the model goes on', async (t) => {
  const giveUp = { thought: '', tool: 'answer', args: { text: 'I could not find it.' } };
  const model = new ScriptedModel([giveUp, giveUp, giveUp], {
    infills: [
      'thirty_items():\n    assert page_count(30, 25) >= 1\n',
      'thirty_items_two_pages():\n    assert page_cnt(30, 25) == 2\n',
      // (a copy as the engine leaves it: stopped once its first line was whole)
      'fifty_items_make_two_pages():\n    ',
    ],
    doubts,
  });
  const s = await repairSession(t, { 'pages.py': pages, 'test_pages.py': pageTests }, model);
  if (!s) return;
  await s.session.agent.runTurn(report);
  assert.ok(model.prompts.length >= 1, 'the model took its steps');
  assert.equal(await readFile(path.join(s.root, 'pages.py'), 'utf8'), pages, 'nothing changed');
  assert.equal(model.doubtRequests.length, 0, 'no repair without a failing test of the case');
  const notices = s.events.flatMap((e) => (e.type === 'notice' && /report's case/.test(e.message) ? [e.message] : []));
  assert.deepEqual(notices, [
    "Code completion wrote a test of the report's case in test_pages.py (greedy): it passes with the code as it is: it does not show the bug.",
    "Code completion wrote a test of the report's case in test_pages.py (sample 1): it fails for a fault of its own (a name or import it made up).",
    "Code completion wrote a copy of a test the file has, not one of the report's case: not run.",
  ]);
  assert.equal(model.infillRequests[1].temperature, 0.7, 'samples after the most usual test');
  assert.deepEqual(
    model.infillRequests[2].notFirstLines,
    ['def test_fifty_items_make_two_pages():', 'def test_no_items_make_one_page():'],
    'the engine stops at a copy',
  );
});

test('code completion that does not finish a test of the case in its time says so in the log, and the model goes on', async (t) => {
  const giveUp = { thought: '', tool: 'answer', args: { text: 'I could not find it.' } };
  const model = new ScriptedModel([giveUp, giveUp, giveUp], {
    infills: [
      () => {
        throw new ModelError('timeout', 'Code completion did not finish within 75000 ms.');
      },
    ],
    doubts,
  });
  const s = await repairSession(t, { 'pages.py': pages, 'test_pages.py': pageTests }, model);
  if (!s) return;
  await s.session.agent.runTurn(report);
  assert.ok(model.prompts.length >= 1, 'the model took its steps');
  const notices = s.events.flatMap((e) => (e.type === 'notice' && /report's case/.test(e.message) ? [e.message] : []));
  assert.deepEqual(notices, ["Code completion wrote no test of the report's case (greedy): Code completion did not finish within 75000 ms."]);
});

const stats = 'def average(values):\n    """The exact mean of values; 0.0 for an empty list."""\n    return sum(values) // len(values)\n';
const statsTests = 'from stats import average\n\n\ndef test_mean_of_three():\n    assert average([1, 2, 4]) == 7 / 3\n';
const twoFaults =
  '`pytest` fails: average in stats.py loses the fractional part and crashes on an empty list. Fix it so it returns the exact mean, and 0.0 for an empty list.';
// (the line the failing test points at; the empty list is in no test)
const meanDoubts = (request: DoubtRequest) => {
  const line = request.lines.indexOf('    return sum(values) // len(values)');
  return line >= 0 ? [{ line, gap: 3, continued: '    return sum(values) / len(values)' }] : [];
};

test('failing tests fixed: a test of the report case is written then, and where it fails the fix goes on until it passes too', async (t) => {
  const model = new ScriptedModel([], {
    infills: ['empty_list_is_zero():\n    assert average([]) == 0.0\n', '    if not values:\n        return 0.0\n    return sum(values) / len(values)\n'],
    doubts: meanDoubts,
  });
  const s = await repairSession(t, { 'stats.py': stats, 'test_stats.py': statsTests }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn(twoFaults);
  assert.equal(result.status, 'answered', result.text);
  assert.equal(
    await readFile(path.join(s.root, 'stats.py'), 'utf8'),
    'def average(values):\n    """The exact mean of values; 0.0 for an empty list."""\n    if not values:\n        return 0.0\n    return sum(values) / len(values)\n',
  );
  assert.equal(await readFile(path.join(s.root, 'test_stats.py'), 'utf8'), statsTests, 'the test of the case is not kept');
  assert.match(result.text, /^Fixed: .* Then .*judged by a test of the report's case, not kept\)/);
  assert.equal(model.prompts.length, 0, 'no model step was needed');
});

test('failing tests fixed and a test of the report case passing at once: one test written, nothing more changed', async (t) => {
  const model = new ScriptedModel([], { infills: ['mean_of_two():\n    assert average([1, 2]) == 1.5\n', 'never_asked():\n    pass\n'], doubts: meanDoubts });
  const s = await repairSession(t, { 'stats.py': stats, 'test_stats.py': statsTests }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn(twoFaults.replace(' and crashes on an empty list', '').replace(', and 0.0 for an empty list', ''));
  assert.equal(result.status, 'answered', result.text);
  assert.equal(await readFile(path.join(s.root, 'stats.py'), 'utf8'), stats.replace('//', '/'));
  assert.equal(model.infillRequests.length, 1, 'the first test of the case passed: no other written');
  const notices = s.events.flatMap((e) => (e.type === 'notice' && /report's case/.test(e.message) ? [e.message] : []));
  assert.deepEqual(notices, [
    "Code completion wrote a test of the report's case in test_stats.py (greedy): it passes with the code as it is: it does not show the bug.",
  ]);
});

test('a test of the report case beside the tests inside the code (a Rust test module): the fix of that file keeps it, and is judged by it', async (t) => {
  const rust = [
    '/// The arithmetic mean of `values`; 0.0 for an empty slice.',
    'pub fn average(values: &[i64]) -> f64 {',
    '    let sum: i64 = values.iter().sum();',
    '    (sum / values.len() as i64) as f64',
    '}',
    '',
    '#[cfg(test)]',
    'mod tests {',
    '    use super::*;',
    '',
    '    #[test]',
    '    fn mean_of_three() {',
    '        assert_eq!(average(&[1, 2, 4]), 7.0 / 3.0);',
    '    }',
    '}',
    '',
  ].join('\n');
  const body = '    if values.is_empty() {\n        return 0.0;\n    }\n    values.iter().sum::<i64>() as f64 / values.len() as f64\n';
  const model = new ScriptedModel([], {
    infills: ['empty_slice_is_zero() {\n        assert_eq!(average(&[]), 0.0);\n    }\n', body],
    doubts: (request) => {
      const line = request.lines.indexOf('    (sum / values.len() as i64) as f64');
      return line >= 0 ? [{ line, gap: 3, continued: '    sum as f64 / values.len() as f64' }] : [];
    },
  });
  const files = { 'Cargo.toml': '[package]\nname = "stats"\nversion = "0.1.0"\nedition = "2021"\n', 'src/lib.rs': rust };
  const s = await repairSession(t, files, model, testConfig({}, { sandbox: { ...testConfig().sandbox, memoryMb: 1024, timeoutMs: 120_000 } }));
  if (!s) return;
  const result = await s.session.agent.runTurn(
    '`cargo test` fails: `average` in src/lib.rs loses the fractional part and panics on an empty slice. Fix it so it returns the exact mean as f64, and 0.0 for an empty slice.',
  );
  assert.equal(result.status, 'answered', result.text);
  const after = await readFile(path.join(s.root, 'src/lib.rs'), 'utf8');
  assert.ok(after.includes(`{\n${body}}`), after);
  assert.match(
    after,
    /#\[test\]\n {4}fn empty_slice_is_zero\(\) \{\n {8}assert_eq!\(average\(&\[\]\), 0\.0\);\n {4}\}\n\}\n$/,
    'the test is kept in its module',
  );
  assert.match(result.text, /judged by a test of the report's case, kept in src\/lib\.rs\)/);
});

test('failing tests fixed: a test of the report case that calls none of the fixed functions (or their callers) is not run', async (t) => {
  const withMedian = `${stats}\n\ndef median(values):\n    ordered = sorted(values)\n    return ordered[len(ordered) // 2]\n`;
  const other = 'median_of_none():\n    assert median([]) == 0.0\n';
  const model = new ScriptedModel([], { infills: [other, other.replace('none', 'nothing'), other.replace('none', 'empty')], doubts: meanDoubts });
  const s = await repairSession(t, { 'stats.py': withMedian, 'test_stats.py': statsTests }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn(twoFaults);
  assert.equal(result.status, 'answered', result.text);
  assert.equal(await readFile(path.join(s.root, 'stats.py'), 'utf8'), withMedian.replace('//', '/'), 'the first fix alone');
  const notices = s.events.flatMap((e) => (e.type === 'notice' && /report's case/.test(e.message) ? [e.message] : []));
  assert.equal(notices.length, 3);
  for (const notice of notices) assert.equal(notice, "Code completion wrote a test of the report's case that calls none of average: not run.");
});

test('failing tests fixed: the test of the report case is written beside a test of the fixed code, not the test nearest the report words elsewhere', async (t) => {
  // (test_words.py holds the report's words; only test_stats.py calls average)
  const words =
    'from words import shout\n\n\ndef test_shout():\n    # it loses the fractional part; fix the exact mean for the list\n    assert shout("list") == "LIST"\n';
  const model = new ScriptedModel([], { infills: ['mean_of_two():\n    assert average([1, 2]) == 1.5\n'], doubts: meanDoubts });
  const s = await repairSession(
    t,
    { 'stats.py': stats, 'test_stats.py': statsTests, 'words.py': 'def shout(text):\n    return text.upper()\n', 'test_words.py': words },
    model,
  );
  if (!s) return;
  const result = await s.session.agent.runTurn(twoFaults.replace(' and crashes on an empty list', '').replace(', and 0.0 for an empty list', ''));
  assert.equal(result.status, 'answered', result.text);
  assert.equal(model.infillRequests.length, 1);
  assert.equal(model.infillRequests[0].path, 'test_stats.py');
});

test('failing tests fixed: a test of the report case that passes with the code before the fix asks for the bug, and is not repaired to', async (t) => {
  // (go-fix-stack: `Pop() = 2, want 1` written after Pop was fixed to return the top)
  const buggy = 'mean_of_two():\n    assert average([1, 2]) == 1\n';
  const model = new ScriptedModel([], { infills: [buggy, 'mean_of_two():\n    assert average([1, 2]) == 1.5\n'], doubts: meanDoubts });
  const s = await repairSession(t, { 'stats.py': stats, 'test_stats.py': statsTests }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn(twoFaults.replace(' and crashes on an empty list', '').replace(', and 0.0 for an empty list', ''));
  assert.equal(result.status, 'answered', result.text);
  assert.equal(await readFile(path.join(s.root, 'stats.py'), 'utf8'), stats.replace('//', '/'), 'the fix stands, not repaired to the bug');
  assert.equal(await readFile(path.join(s.root, 'test_stats.py'), 'utf8'), statsTests);
  const notices = s.events.flatMap((e) => (e.type === 'notice' && /report's case/.test(e.message) ? [e.message] : []));
  assert.deepEqual(notices, [
    "Code completion wrote a test of the report's case in test_stats.py (greedy): it fails with the fix and passes with the code before it: it asks for the bug.",
    "Code completion wrote a test of the report's case in test_stats.py (sample 1): it passes with the code as it is: it does not show the bug.",
  ]);
  assert.doesNotMatch(result.text, /judged by a test/);
});
