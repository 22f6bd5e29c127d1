/**
 * A new test file written by code completion (test-file-fill.ts): where a written file is cut, which
 * of its tests a failing run takes out, and a turn that asks for a new test file. The loop is under
 * test, so the model's code completion is scripted (ScriptedModel `infills`); the index, the sandbox
 * runs and the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { testFilePrefix, upToLastTest, withoutFailing, withoutOthers } from '../../../src/agent/test-writing/test-file-fill.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { repairSession, repairTurn } from '../harness.ts';
import { onlyMissing } from '../../../src/agent/test-writing/new-test-file.ts';

test('the top of a new test file is the request as comments in its language', () => {
  assert.equal(
    testFilePrefix('test_slug.py', 'Add tests for slugify.\nCover hyphens.'),
    '# Tests for this request:\n# Add tests for slugify.\n# Cover hyphens.\n\n',
  );
  assert.match(testFilePrefix('test/slug.test.ts', 'Add tests.') ?? '', /^\/\/ Tests for this request:\n\/\/ Add tests\.\n\n$/);
});

test('a written file is cut after its last complete test, the closers of a group kept', () => {
  // (cut at the token limit: the last line has no end)
  const py = 'import slug\n\n\ndef test_a():\n    assert slug.slugify("A") == "a"\n\n\ndef test_b():\n    assert slug.slugify(';
  assert.equal(upToLastTest('test_slug.py', py), 'import slug\n\n\ndef test_a():\n    assert slug.slugify("A") == "a"\n');
  const two = 'import slug\n\n\ndef test_a():\n    assert True\n\n\ndef test_b():\n    assert slug.slugify(\n';
  assert.equal(upToLastTest('test_slug.py', two, 7), 'import slug\n\n\ndef test_a():\n    assert True\n', 'before the last test');
  const js = "describe('slug', () => {\n  test('a', () => {\n    assert.equal(slug('A'), 'a');\n  });\n});\n\ntest('b', () => {\n  assert.equal(\n";
  assert.equal(upToLastTest('test/slug.test.js', js), "describe('slug', () => {\n  test('a', () => {\n    assert.equal(slug('A'), 'a');\n  });\n});\n");
  assert.equal(upToLastTest('test_slug.py', 'import slug\n'), undefined, 'no test in it');
});

test('the tests a failing run names are taken out of the new file, with the blank lines after them', () => {
  const text = 'import slug\n\n\ndef test_a():\n    assert True\n\n\ndef test_b():\n    assert False\n\n\ndef test_c():\n    assert True\n';
  const output = 'FAILED test_slug.py::test_b - assert False\n1 failed, 2 passed in 0.01s';
  assert.deepEqual(withoutFailing('test_slug.py', text, output), {
    text: 'import slug\n\n\ndef test_a():\n    assert True\n\n\ndef test_c():\n    assert True\n',
    dropped: ['def test_b():'],
  });
  assert.deepEqual(withoutFailing('test_slug.py', text, 'ERROR collecting test_slug.py'), { text, dropped: [] }, 'no test named: nothing to take out');
});

const slug = 'import re\n\n\ndef slugify(text):\n    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")\n';
const otherTests = 'from slug import slugify\n\n\ndef test_plain():\n    assert slugify("abc") == "abc"\n';

const written =
  'from slug import slugify\n\n\ndef test_spaces_become_hyphens():\n    assert slugify("a b") == "a-b"\n\n\ndef test_wrong():\n    assert slugify("A") == "A"\n\n\ndef test_unfinished():\n    assert slugify(';

test('a new test file asked for: code completion writes it, the test that fails against the code is taken out, and the turn ends', async (t) => {
  const model = new ScriptedModel([], { infills: [written] });
  const request = 'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py: spaces become hyphens.';
  const turn = await repairTurn(t, { 'slug.py': slug, 'test_other.py': otherTests }, model, request);
  if (!turn) return;
  assert.equal(
    await turn.read('test_slug.py'),
    `# Tests for this request:\n# ${request}\n\nfrom slug import slugify\n\n\ndef test_spaces_become_hyphens():\n    assert slugify("a b") == "a-b"\n`,
  );
  assert.equal(model.infillRequests[0].path, 'test_slug.py');
  assert.deepEqual(
    model.infillRequests[0].files?.map((f) => f.path).slice(1),
    ['slug.py', 'test_other.py'],
    'after the request, the code under test, then the example test, nearest the new file',
  );
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  assert.match(
    turn.result.text,
    /^Wrote 1 test in test_slug\.py by code completion \(1 more failed against the code and were taken out\): def test_spaces_become_hyphens\(\):/,
  );
  assert.equal(await turn.read('slug.py'), slug);
});

test('the first tests of a project with none: the new file is written by code completion and run with the command its language finds for it', async (t) => {
  const model = new ScriptedModel([], { infills: [written] });
  const request = 'Add pytest tests for slugify (in slug.py) in a new file test_slug.py: spaces become hyphens.';
  const turn = await repairTurn(t, { 'slug.py': slug }, model, request);
  if (!turn) return;
  assert.match(await turn.read('test_slug.py'), /def test_spaces_become_hyphens\(\):\n {4}assert slugify\("a b"\) == "a-b"\n$/);
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  assert.match(turn.result.text, /^Wrote 1 test in test_slug\.py by code completion .* python3 -m pytest -q passes\./);
});

test('asked to keep the code as it is, a test that expects what the code does not return is set to what it returns, not taken out', async (t) => {
  const model = new ScriptedModel([], { infills: [written] });
  const turn = await repairTurn(
    t,
    { 'slug.py': slug, 'test_other.py': otherTests },
    model,
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py: spaces become hyphens. Do not change slug.py.',
  );
  if (!turn) return;
  assert.match(
    await turn.read('test_slug.py'),
    /def test_spaces_become_hyphens\(\):\n    assert slugify\("a b"\) == "a-b"\n\n\ndef test_wrong\(\):\n    assert slugify\("A"\) == "a"\n$/,
  );
  assert.match(turn.result.text, /^Wrote 2 tests in test_slug\.py by code completion: /);
  const fixed = turn.s.events.flatMap((e) => (e.type === 'notice' && /^Fixed for certain/.test(e.message) ? [e.message] : []));
  assert.equal(fixed.length, 1);
});

test('a test file that is there already is not written over by code completion', async (t) => {
  const giveUp = { thought: '', tool: 'answer', args: { text: 'Done.' } };
  const model = new ScriptedModel([giveUp, giveUp, giveUp], { infills: ['def test_x():\n    assert True\n'] });
  const s = await repairSession(t, { 'slug.py': slug, 'test_slug.py': otherTests }, model);
  if (!s) return;
  await s.session.agent.runTurn('Add pytest tests for `slugify` in test_slug.py: spaces become hyphens.');
  assert.equal(await readFile(path.join(s.root, 'test_slug.py'), 'utf8'), otherTests);
  assert.equal(model.infillRequests.filter((r) => r.prefix.startsWith('# Tests for this request')).length, 0, 'no new file was written');
});

test('tests that copy a project test, use nothing the code under test defines, or hold only comments are taken out of the new file', () => {
  const text =
    "import { Router } from '../src/router.ts';\n\ntest('a route with a parameter', () => {\n  const r = new Router();\n  assert.ok(r);\n});\n\ntest('a new room: defaults', () => {\n  assert.equal(validateRoom({}).ok, false);\n});\n\ntest('copied', () => {\n  assert.ok(new Router());\n});\n";
  const out = withoutOthers('test/router.test.ts', text, ['Router', 'match'], ["test('copied', () => {"]);
  assert.deepEqual(out.dropped, ["test('a new room: defaults', () => {", "test('copied', () => {"]);
  assert.equal(
    out.text,
    "import { Router } from '../src/router.ts';\n\ntest('a route with a parameter', () => {\n  const r = new Router();\n  assert.ok(r);\n});\n",
  );
  assert.deepEqual(withoutOthers('test/router.test.ts', text, undefined, []).dropped, [], 'nothing known: nothing taken out');
  // placeholders: a body of comments passes whatever the code does (the name in the title is no use of it)
  const placeholders =
    "import { test } from 'node:test';\n\ntest('findFreeRooms', () => {\n  // Implement the test for findFreeRooms\n});\n\ntest('match', () => {\n  assert.ok(new Router().match('/'));\n});\n";
  assert.deepEqual(withoutOthers('test/router.test.ts', placeholders, ['findFreeRooms', 'Router'], []).dropped, ["test('findFreeRooms', () => {"]);
  const py = 'def test_total():\n    # TODO: write it\n    pass\n\n\ndef test_sum():\n    assert total([1]) == 1\n';
  assert.deepEqual(withoutOthers('test_shop.py', py, ['total'], []).dropped, ['def test_total():']);
});

test('an example test too long to read whole before the new file: its head is read, nearest the gap', async (t) => {
  const many = Array.from({ length: 300 }, (_, i) => `\n\ndef test_case_${i}():\n    assert slugify("a ${i}") == "a-${i}"\n`).join('');
  const model = new ScriptedModel([], { infills: [written] });
  const request = 'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py: spaces become hyphens.';
  const turn = await repairTurn(t, { 'slug.py': slug, 'test_other.py': `${otherTests}${many}` }, model, request);
  if (!turn) return;
  const files = model.infillRequests[0].files ?? [];
  assert.deepEqual(files.map((f) => f.path).slice(1), ['slug.py', 'test_other.py']);
  const head = files.at(-1)?.text ?? '';
  assert.ok(head.startsWith(otherTests), 'its imports and first tests');
  assert.ok(!head.includes('test_case_299'), 'not its end');
});

test('a request that lists cases: the file is its imports, then a test of each case under it, kept when it passes, written again when it fails', async (t) => {
  // (the head: its imports kept, the copy of the code under test after them not)
  const head = 'from slug import slugify\n\n\ndef slugify_copy(text):\n    return text\n';
  // (each case's test is written on from the start of a test like the project's: `def test_`)
  const upper = 'upper_case_is_lowered():\n    assert slugify("AB") == "ab"\n';
  const wrong = 'punctuation_is_dropped():\n    assert slugify("a!") == "a!"\n';
  const right = 'punctuation_is_dropped():\n    assert slugify("a!") == "a"\n';
  const model = new ScriptedModel([], { infills: [head, upper, wrong, right] });
  const request =
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Cover at least: upper case becomes lower case, and punctuation is dropped.';
  const turn = await repairTurn(t, { 'slug.py': slug, 'test_other.py': otherTests }, model, request);
  if (!turn) return;
  const [headAsk, ...caseAsks] = model.infillRequests;
  assert.deepEqual(headAsk.stops, ['\ndef test_'], 'the head ends where a test would begin');
  assert.equal(caseAsks.length, 3, 'one ask for each case, and one more for the case whose test failed');
  assert.match(caseAsks[0].prefix, /\nfrom slug import slugify\n\n\n# Test: upper case becomes lower case\ndef test_$/);
  assert.match(caseAsks[1].prefix, /assert slugify\("AB"\) == "ab"\n\n\n# Test: punctuation is dropped\ndef test_$/);
  assert.match(
    caseAsks[2].prefix,
    /# Test: punctuation is dropped\n# A test written before for this case failed:\n(# .*\n)*# .*assert 'a' == 'a!'[^\n]*\n(# .*\n)*def test_$/,
  );
  assert.ok((caseAsks[2].temperature ?? 0) > 0, 'sampled: greedy would write the same test');
  assert.equal(
    await turn.read('test_slug.py'),
    `# Tests for this request:\n# ${request}\n\nfrom slug import slugify\n\n\n# Test: upper case becomes lower case\ndef test_upper_case_is_lowered():\n    assert slugify("AB") == "ab"\n\n\n# Test: punctuation is dropped\ndef test_punctuation_is_dropped():\n    assert slugify("a!") == "a"\n`,
    'the note on the failed test is not in the file',
  );
  assert.match(turn.result.text, /^Wrote 2 tests in test_slug\.py by code completion/);
});

test('a case whose test only repeats a test above it is written once more, sampled and told so', async (t) => {
  const head = 'from slug import slugify\n';
  const upper = 'upper_case_is_lowered():\n    assert slugify("AB") == "ab"\n';
  const same = 'punctuation_is_dropped():\n    assert slugify("AB") == "ab"\n';
  const right = 'punctuation_is_dropped():\n    assert slugify("a!") == "a"\n';
  const model = new ScriptedModel([], { infills: [head, upper, same, right] });
  const request =
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Cover at least: upper case becomes lower case, and punctuation is dropped.';
  const turn = await repairTurn(t, { 'slug.py': slug, 'test_other.py': otherTests }, model, request);
  if (!turn) return;
  assert.match(await turn.read('test_slug.py'), /def test_punctuation_is_dropped\(\):\n {4}assert slugify\("a!"\) == "a"\n$/);
  const notices = turn.s.events.flatMap((e) => (e.type === 'notice' && /for case 2 of 2/.test(e.message) ? [e.message] : []));
  assert.match(notices[0], /\(greedy\): it repeats a test above it, left out\./);
  assert.match(notices[1], /\(sample 1, told how the test before failed\): it passes, kept\./);
  assert.match(model.infillRequests[3].prefix, /# A test written before for this case only repeated a test above it/);
});

test('a case left with no test after two writes is written again, sampled, once every other case has had its writes', async (t) => {
  const head = 'from slug import slugify\n';
  const wrong = 'punctuation_is_dropped():\n    assert slugify("a!") == "a!"\n';
  const upper = 'upper_case_is_lowered():\n    assert slugify("AB") == "ab"\n';
  const right = 'punctuation_is_dropped():\n    assert slugify("a!") == "a"\n';
  // punctuation (case 1) fails twice, upper case (case 2) passes, then punctuation's third write passes
  const model = new ScriptedModel([], { infills: [head, wrong, wrong, upper, right] });
  const request =
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Cover at least: punctuation is dropped, and upper case becomes lower case.';
  const turn = await repairTurn(t, { 'slug.py': slug, 'test_other.py': otherTests }, model, request);
  if (!turn) return;
  const notices = turn.s.events.flatMap((e) => (e.type === 'notice' && /for case \d of 2/.test(e.message) ? [e.message] : []));
  assert.deepEqual(
    notices.map((n) => /for (case \d) of 2 .*\((greedy|sample \d)[^)]*\): ([^,]+)/.exec(n)?.slice(1, 4).join(' ')),
    ['case 1 greedy it fails against the code', 'case 1 sample 1 it fails against the code', 'case 2 greedy it passes', 'case 1 sample 2 it passes'],
  );
  assert.match(model.infillRequests[4].prefix, /# A test written before for this case failed:/);
  assert.match(
    await turn.read('test_slug.py'),
    /def test_upper_case_is_lowered\(\):[^]*def test_punctuation_is_dropped\(\):\n {4}assert slugify\("a!"\) == "a"\n$/,
  );
});

test('cases after a file whose tests sit in a class: written after its last test, at its indentation, but for a case a test is named for', async (t) => {
  const classTests =
    'import unittest\nfrom slug import slugify\n\n\nclass SlugTest(unittest.TestCase):\n    def test_plain(self):\n        self.assertEqual(slugify("abc"), "abc")\n';
  const file =
    'import unittest\nfrom slug import slugify\n\n\nclass NewSlugTest(unittest.TestCase):\n    def test_spaces(self):\n        self.assertEqual(slugify("a b"), "a-b")\n';
  const upper = 'upper(self):\n        self.assertEqual(slugify("AB"), "ab")\n';
  const model = new ScriptedModel([], { infills: [file, upper] });
  const request = 'Add tests for `slugify` (in slug.py) in a new file test_slug.py. Cover at least: spaces become hyphens, and upper case becomes lower case.';
  const turn = await repairTurn(t, { 'slug.py': slug, 'test_other.py': classTests }, model, request);
  if (!turn) return;
  // (test_spaces is named for "spaces become hyphens": only the other case is written)
  assert.equal(model.infillRequests.length, 2);
  assert.match(model.infillRequests[1].prefix, /"a-b"\)\n\n\n {4}# Test: upper case becomes lower case\n {4}def test_$/);
  assert.match(
    await turn.read('test_slug.py'),
    /def test_spaces\(self\):\n.*\n\n {4}# Test: upper case becomes lower case\n {4}def test_upper\(self\):\n {8}self\.assertEqual\(slugify\("AB"\), "ab"\)\n$/,
  );
  const notices = turn.s.events.flatMap((e) => (e.type === 'notice' && /named for/.test(e.message) ? [e.message] : []));
  assert.deepEqual(notices, ['The tests code completion wrote in test_slug.py are named for 1 of the 2 cases asked: the others are written one at a time.']);
});

test('a file whose passing tests are named for every case asked: no case is written again', async (t) => {
  // (py-add-test: three passing tests in 12 s, then 60 s of writes of each case that all repeated them)
  const file =
    'from slug import slugify\n\n\ndef test_slugify_spaces():\n    assert slugify("a b") == "a-b"\n\n\ndef test_slugify_uppercase():\n    assert slugify("AB") == "ab"\n\n\ndef test_slugify_punctuation():\n    assert slugify("a!") == "a"\n';
  const model = new ScriptedModel([], { infills: [file, 'never_asked():\n    pass\n'] });
  const request =
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Cover at least: spaces become hyphens, upper case becomes lower case, and punctuation is dropped.';
  const turn = await repairTurn(t, { 'slug.py': slug }, model, request);
  if (!turn) return;
  assert.equal(turn.result.status, 'answered', turn.result.text);
  assert.equal(model.infillRequests.length, 1, 'the file alone, no case written again');
  assert.match(await turn.read('test_slug.py'), /def test_slugify_punctuation\(\):\n {4}assert slugify\("a!"\) == "a"\n$/);
  const notices = turn.s.events.flatMap((e) => (e.type === 'notice' && /named for/.test(e.message) ? [e.message] : []));
  assert.deepEqual(notices, ['The tests code completion wrote in test_slug.py are named for 3 of the 3 cases asked: none is written again.']);
});

test('a test of a case that fails for a name it did not import, then for a value the kept code does not return, is fixed for certain each time and kept', async (t) => {
  // (the head imports nothing: the test needs `slugify` and `re`, named one a run, then expects "A B" where the code gives "a-b")
  const head = 'import pytest\n';
  const caseTest = 'spaces():\n    assert re.match("a", slugify("a b"))\n    assert slugify("A B") == "A B"\n';
  const model = new ScriptedModel([], { infills: [head, caseTest] });
  const request =
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Cover at least: spaces become hyphens, and upper case becomes lower case. Do not change slug.py.';
  const turn = await repairTurn(t, { 'slug.py': slug, 'test_other.py': otherTests }, model, request);
  if (!turn) return;
  const text = await turn.read('test_slug.py');
  assert.match(text, /^from slug import slugify$/m);
  assert.match(text, /^import re$/m);
  assert.match(
    text,
    /# Test: spaces become hyphens\ndef test_spaces\(\):\n {4}assert re\.match\("a", slugify\("a b"\)\)\n {4}assert slugify\("A B"\) == "a-b"\n/,
  );
  const fixed = turn.s.events.flatMap((e) =>
    e.type === 'notice' && /^Fixed for certain in the test for "spaces become hyphens"/.test(e.message) ? [e.message] : [],
  );
  assert.equal(fixed.length, 3, fixed.join('\n'));
});

test('a run that fails only because the new test file is not there yet is no failure of the code', () => {
  const missing = { stdout: '', stderr: 'ruby: No such file or directory -- test/test_slug.rb (LoadError)\n' };
  assert.equal(onlyMissing(missing, 'test/test_slug.rb'), true);
  assert.equal(onlyMissing(missing, 'test/test_other.rb'), false, 'another file is missing');
  assert.equal(onlyMissing({ stdout: '1 runs, 1 assertions, 1 failures, 0 errors\n', stderr: '' }, 'test/test_slug.rb'), false, 'a test failed');
});

const slugRb = 'module Slug\n  def self.slugify(title)\n    title.downcase.gsub(/[^a-z0-9]+/, "-").gsub(/\\A-|-\\z/, "")\n  end\nend\n';
const minitestRequest =
  'Write minitest tests in test/test_slug.rb for Slug.slugify. Run them with `ruby -Ilib -Itest test/test_slug.rb`. Do not change lib/slug.rb.';

test('tests asked for in a new file the named command runs: written though that command failed for want of the file', async (t) => {
  const file =
    'require "minitest/autorun"\nrequire "slug"\n\nclass SlugTest < Minitest::Test\n  def test_spaces\n    assert_equal "a-b", Slug.slugify("a b")\n  end\nend\n';
  const model = new ScriptedModel([], { infills: [file] });
  const turn = await repairTurn(t, { 'lib/slug.rb': slugRb }, model, minitestRequest);
  if (!turn) return;
  assert.match(await turn.read('test/test_slug.rb'), /def test_spaces\n {4}assert_equal "a-b", Slug\.slugify\("a b"\)/);
  assert.equal(model.prompts.length, 0, 'no model step was needed');
});

test('a test file cut off inside a test, one line repeated, is closed there and kept when it passes', async (t) => {
  // (as the 1.5B model wrote it in ruby-add-test-slug: the loop check stopped it inside the test)
  const file = `require "minitest/autorun"\nrequire "slug"\n\nclass SlugTest < Minitest::Test\n  def test_spaces\n${'    assert_equal "a-b", Slug.slugify("a b")\n'.repeat(12)}`;
  const model = new ScriptedModel([], { infills: [file] });
  const turn = await repairTurn(t, { 'lib/slug.rb': slugRb }, model, minitestRequest);
  if (!turn) return;
  assert.match(await turn.read('test/test_slug.rb'), /def test_spaces\n {4}assert_equal "a-b", Slug\.slugify\("a b"\)\n {2}end\nend\n$/);
  assert.equal(model.prompts.length, 0, 'no model step was needed');
});

test('a case whose test was not one of the code is written once more, sampled', async (t) => {
  const head = 'from slug import slugify\n';
  const other = 'spaces():\n    assert " ".join(["a", "b"]) == "a b"\n';
  const whole = 'spaces():\n    assert slugify("a b") == "a-b"\n';
  const model = new ScriptedModel([], { infills: [head, other, whole] });
  const request =
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Cover at least: spaces become hyphens, and upper case becomes lower case.';
  const turn = await repairTurn(t, { 'slug.py': slug, 'test_other.py': otherTests }, model, request);
  if (!turn) return;
  assert.ok((model.infillRequests[2].temperature ?? 0) > 0, 'the second try is sampled');
  assert.doesNotMatch(model.infillRequests[2].prefix, /A test written before/, 'nothing failed to tell of');
  assert.match(await turn.read('test_slug.py'), /# Test: spaces become hyphens\ndef test_spaces\(\):\n {4}assert slugify\("a b"\) == "a-b"\n$/);
});

test('a new test file that lets a broken copy of the code through gets a test of the case that copy breaks, kept only when it catches it', async (t) => {
  const clamp = 'def clamp(value, low, high):\n    if value < low:\n        return low\n    if value > high:\n        return high\n    return value\n';
  const file = 'from clamp import clamp\n\n\ndef test_inside():\n    assert clamp(5, 0, 10) == 5\n';
  // (for `value < low` never true: a test below the range, which that copy fails)
  const below = 'below():\n    assert clamp(-1, 0, 10) == 0\n';
  // (for `value <= low`: a test that passes with that copy too)
  const inside = 'near_low():\n    assert clamp(1, 0, 10) == 1\n';
  const model = new ScriptedModel([], { infills: [file, below, inside] });
  const request = 'Add pytest tests for `clamp` (in clamp.py) in a new file test_clamp.py. Do not change clamp.py.';
  const plain = 'from clamp import clamp\n\n\ndef test_plain():\n    assert clamp(1, 0, 2) == 1\n';
  const turn = await repairTurn(t, { 'clamp.py': clamp, 'test_other.py': plain }, model, request);
  if (!turn) return;
  assert.match(
    model.infillRequests[1].prefix,
    /assert clamp\(5, 0, 10\) == 5\n\n\n# Test: in clamp, a case where `value < low` is true\n# \(the tests above pass even with line 2 of clamp\.py: `if value < low:` as `if False:`\)\ndef test_$/,
  );
  assert.match(
    model.infillRequests[2].prefix,
    /# Test: in clamp, the edge case where `value` is exactly `low`\n/,
    'the copy with the boundary moved is let through next',
  );
  assert.equal(
    await turn.read('test_clamp.py'),
    `${'# Tests for this request:\n'}# ${request}\n\n${file}\n\n# Test: in clamp, a case where \`value < low\` is true\ndef test_below():\n    assert clamp(-1, 0, 10) == 0\n`,
    'the test that catches its copy is kept, the one that does not is not',
  );
  const summary = turn.s.events.flatMap((e) => (e.type === 'notice' && /^Broke clamp\.py/.test(e.message) ? [e.message] : []));
  assert.deepEqual(summary, ['Broke clamp.py in 4 places the tests of test_clamp.py should notice: they caught 0, and 1 more with the 1 test made for them.']);
});

test('a broken copy the new tests let through is caught by a copy of a kept test with one input changed, asserting what the code returns', async (t) => {
  const grade = 'def grade(score):\n    if score >= 90:\n        return "A"\n    return "B"\n';
  const file = 'from grade import grade\n\n\ndef test_b():\n    score = 89\n    assert grade(score) == "B"\n';
  const model = new ScriptedModel([], { infills: [file] });
  const request = 'Add pytest tests for `grade` (in grade.py) in a new file test_grade.py. Do not change grade.py.';
  const plain = 'from grade import grade\n\n\ndef test_plain():\n    assert grade(100) == "A"\n';
  const turn = await repairTurn(t, { 'grade.py': grade, 'test_other.py': plain }, model, request);
  if (!turn) return;
  assert.equal(model.infillRequests.length, 1, 'no test written for a broken copy: the changed input caught them');
  assert.match(turn.result.text, /They fail on 2 of 2 broken copies of grade\.py/);
  assert.ok(
    turn.s.events.some(
      (e) => e.type === 'notice' && e.message === 'The runs against broken copies leave out the 1 other test file: the new file passes alone.',
    ),
    'test_other.py is left out of those runs',
  );
  assert.equal(
    await turn.read('test_grade.py'),
    `# Tests for this request:\n# ${request}\n\n${file}\n\ndef test_b_2():\n    score = 90\n    assert grade(score) == "A"\n`,
  );
  const notices = turn.s.events.flatMap((e) => (e.type === 'notice' && /broken copy|^Broke/.test(e.message) ? [e.message] : []));
  assert.deepEqual(notices, [
    'The tests of test_grade.py let a broken copy through (line 2 of grade.py: `if score >= 90:` as `if False:`); a copy of `def test_b():` with 89 as 90 catches it: kept.',
    'Broke grade.py in 2 places the tests of test_grade.py should notice: they caught 0, and 2 more with the 1 test made for them.',
  ]);
});
