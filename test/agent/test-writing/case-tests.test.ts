/** Pieces of the tests written a case at a time (case-tests.ts): the head kept of a file, and an assertion the code fails taken out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importHead, withoutFailingAssertion } from '../../../src/agent/test-writing/case-tests.ts';

test('the head of a new test file is its imports, up to the first other line', () => {
  assert.equal(
    importHead('import pytest\nfrom tally.api.routing import (\n    Router,\n    compile_pattern,\n)\n\nROUTES = [1]\n'),
    'import pytest\nfrom tally.api.routing import (\n    Router,\n    compile_pattern,\n)',
  );
  assert.equal(
    importHead("import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n\ndescribe('x', () => {\n"),
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';",
  );
  assert.equal(importHead('package clamp\n\nimport (\n\t"testing"\n)\n\nfunc helper() {}\n'), 'package clamp\n\nimport (\n\t"testing"\n)');
  assert.equal(importHead('class Route:\n    pass\n'), '', 'a copy of the code under test is no head');
});

test('an assertion the run points at is taken out when its test asserts something else too', () => {
  const ts =
    "import { test } from 'node:test';\n\ntest('path parameters', () => {\n  const r = match('/rooms/1');\n  assert.equal(r.kind, 'found');\n  assert.equal(r.params.id, '1');\n  assert.equal(r.handler, (params) => 'available');\n});\n";
  const out = withoutFailingAssertion('test/router.test.ts', ts, '    at TestContext.<anonymous> (file:///tmp/x/test/router.test.ts:7:10)\n');
  assert.equal(out?.text, ts.replace("  assert.equal(r.handler, (params) => 'available');\n", ''));
  assert.match(out?.what ?? '', /test\/router\.test\.ts:7: assert\.equal\(r\.handler/);
  const py = 'def test_a():\n    r = f()\n    assert r == 1\n    assert r.x == 2\n';
  assert.equal(withoutFailingAssertion('tests/test_a.py', py, 'tests/test_a.py:4: AssertionError\n')?.text, 'def test_a():\n    r = f()\n    assert r == 1\n');
});

test("no assertion is taken out when it is the test's only one, spans lines, or the run points at another line", () => {
  assert.equal(withoutFailingAssertion('tests/test_a.py', 'def test_a():\n    assert f() == 1\n', 'tests/test_a.py:2: AssertionError\n'), undefined);
  const multi = 'def test_a():\n    assert f() == 1\n    assert g() == (\n        2)\n';
  assert.equal(withoutFailingAssertion('tests/test_a.py', multi, 'tests/test_a.py:3: AssertionError\n'), undefined);
  const call = 'def test_a():\n    r = f()\n    assert r == 1\n';
  assert.equal(withoutFailingAssertion('tests/test_a.py', call, 'tests/test_a.py:2: in test_a\n'), undefined, 'the code raised: not an assertion');
});

test('an assertion is not taken out when the test asserts nothing else at its depth (one inside a callback may never run)', () => {
  const ts =
    "test('route matching', () => {\n  const router = new Router();\n  router.add('GET', '/rooms/:id', (params) => {\n    assert.deepEqual(params, { id: '1' });\n  });\n  const match = router.match('GET', '/rooms/1');\n  assert.match(match, { kind: 'found' });\n});\n";
  assert.equal(withoutFailingAssertion('test/router.test.ts', ts, '    at TestContext.<anonymous> (file:///w/test/router.test.ts:7:10)\n'), undefined);
});
