/**
 * Where the tests of a file are (test-sites.ts), which one a bug report is nearest to, and how a new
 * test written after it is cut and put in (reproduction.ts's pure parts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestTest, requestWords, testOpener, testSites } from '../../../src/agent/test-writing/test-sites.ts';
import { firstTest, withTestAfter } from '../../../src/agent/test-writing/reproduction.ts';
import { reportsBug } from '../../../src/agent/intake/task-kind.ts';

const pytest = [
  'from tally.api import App',
  '',
  '',
  'def helper(x):',
  '    return x',
  '',
  '',
  'def test_health(api):',
  '    assert api.get("/health").status == 200',
  '',
  '',
  '@pytest.mark.slow',
  'def test_entries_list_pages(api, project):',
  '    for i in range(50):',
  '        insert(i)',
  '',
  '    first = api.get("/entries").json',
  '    assert first["pages"] == 2',
  '',
  '',
  'def test_clients(api):',
  '    assert api.get("/clients").status == 200',
  '',
].join('\n');

const nodeTest = [
  "import { test } from 'node:test';",
  '',
  "test('a new room: defaults', () => {",
  "  assert.deepEqual(parseNewRoom({ name: 'A', capacity: 4 }), {});",
  '});',
  '',
  "describe('bookings', () => {",
  "  it('needs attendees', () => {",
  '    assert.throws(() => parseNewBooking({ attendees: 0 }));',
  '  });',
  '});',
].join('\n');

const rust = [
  'pub fn add() {}',
  '',
  '#[cfg(test)]',
  'mod tests {',
  '    use super::*;',
  '',
  '    #[test]',
  '    fn adds() {',
  '        assert_eq!(add(), ());',
  '    }',
  '}',
].join('\n');

test('the tests of a file: from their attributes to their last line, groups and helpers left out', () => {
  assert.deepEqual(
    testSites('tests/test_api.py', pytest).map(({ start, def, end }) => [start, def, end]),
    [
      [7, 7, 8],
      [11, 12, 17],
      [20, 20, 21],
    ],
  );
  assert.deepEqual(
    testSites('test/v.test.ts', nodeTest).map(({ start, def, end }) => [start, def, end]),
    [
      [2, 2, 4],
      [7, 7, 9],
    ],
  );
  assert.deepEqual(
    testSites('src/lib.rs', rust).map(({ start, def, end }) => [start, def, end]),
    [[6, 7, 9]],
  );
});

test('a new test starts like its neighbour, up to the name', () => {
  assert.equal(testOpener('def test_entries_list_pages(api, project):'), 'def test_');
  assert.equal(testOpener("test('a new room: defaults', () => {"), "test('");
  assert.equal(testOpener("  it('needs attendees', () => {"), "  it('");
  assert.equal(testOpener("  it 'slugs words' do"), "  it '");
  assert.equal(testOpener('func TestClamp(t *testing.T) {'), 'func Test');
  assert.equal(testOpener('    fn adds() {'), '    fn ');
  assert.equal(testOpener('  def test_slug'), '  def test_');
  assert.equal(testOpener('    void addsTwo() {'), '    void ');
  assert.equal(testOpener('x = 1'), undefined);
});

test('the nearest test shares the rarest words of the report', () => {
  const files = [{ path: 'tests/test_api.py', text: pytest }];
  const page = nearestTest('We have 30 time entries and "pages": 1 is returned; page 2 is out of range. Please fix it.', files);
  assert.equal(page?.def, 12);
  assert.equal(nearestTest('The health check answers 500.', files)?.def, 7);
  assert.equal(nearestTest('Nothing here matches.', files), undefined);
  const ts = [{ path: 'test/v.test.ts', text: nodeTest }];
  assert.equal(nearestTest('Bookings with "attendees": 2.5 go through. Please fix this.', ts)?.def, 7);
  assert.ok(!requestWords('Please fix the bug in the tests').has('fix'), 'words of any request do not count');
  assert.ok(requestWords('30 entries').has('entrie') && requestWords('30 entries').has('30'), 'plurals as singulars, numbers kept');
});

test('what code completion wrote is cut to its first test, and put after the nearest one', () => {
  const written = firstTest(
    'def test_',
    'thirty_entries_make_two_pages(api):\n    assert api.get("/entries").json["pages"] == 2\n\n\ndef test_more():\n    pass\n',
  );
  assert.equal(written, 'def test_thirty_entries_make_two_pages(api):\n    assert api.get("/entries").json["pages"] == 2');
  assert.equal(firstTest("test('", "x', () => {\n  assert.ok(true);\n"), undefined, 'a test that does not end is no test');
  const site = testSites('tests/test_api.py', pytest)[1];
  const after = withTestAfter(pytest, site, written!).split('\n');
  assert.deepEqual(after.slice(17, 23), [
    '    assert first["pages"] == 2',
    '',
    '',
    'def test_thirty_entries_make_two_pages(api):',
    '    assert api.get("/entries").json["pages"] == 2',
    '',
  ]);
  assert.equal(after[24], 'def test_clients(api):');
});

test('a bug report is a change asked for in the words of something wrong', () => {
  assert.ok(reportsBug('Someone created a room with "capacity": 7.5 and it was accepted. Please fix this.'));
  assert.ok(reportsBug('Bug report from the team: the last 5 entries cannot be reached. Please find the bug and fix it.'));
  assert.ok(!reportsBug('Add a --json flag to the report command.'));
  assert.ok(!reportsBug('Why does the bug happen?'), 'a question');
});
