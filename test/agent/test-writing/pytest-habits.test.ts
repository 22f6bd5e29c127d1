/**
 * pytest tests that take a fixture the project does not have, and read an attribute by a name the
 * class does not have (pytest-habits.ts): made in the test, and read by the class's name for it,
 * only where the project's code settles both. The turn test runs the real pytest in the sandbox on
 * the kind of test the 1.5B model wrote in pyapp-test-router; fixed, it passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { classAttributes, madeWithoutArguments, meantAttribute, pytestFix } from '../../../src/agent/test-writing/pytest-habits.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, repairTurn, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: '', tool, args });

const routing = [
  'class HttpError(Exception):',
  '    def __init__(self, status: int, message: str, headers=None):',
  '        super().__init__(message)',
  '        self.status = status',
  '        self.message = message',
  '        self.headers = headers or {}',
  '',
  '',
  'class Router:',
  '    def __init__(self) -> None:',
  '        self.routes = {}',
  '',
  '    def add(self, method, path, handler):',
  '        self.routes[(method, path)] = handler',
  '',
  '    def match(self, method, path):',
  '        if (method, path) not in self.routes:',
  '            raise HttpError(404, f"no route for {path}")',
  '        return self.routes[(method, path)]',
  '',
].join('\n');

/** Tests as the 1.5B model wrote them: a `router` fixture no one defines, `status_code` for `status`. */
const written = [
  'import pytest',
  'from routing import HttpError, Router',
  '',
  '',
  'def test_unknown_path(router: Router):',
  '    with pytest.raises(HttpError) as excinfo:',
  '        router.match("GET", "/nowhere")',
  '    assert excinfo.value.status_code == 404',
  '',
  '',
  'def test_known_path(router):',
  '    router.add("GET", "/a", "handler")',
  '    assert router.match("GET", "/a") == "handler"',
  '',
].join('\n');

test('the attribute meant: the nearest by Python’s own distance, else the one of the same words; none when unsure', () => {
  const attrs = classAttributes(routing, 'HttpError');
  assert.deepEqual(attrs.sort(), ['headers', 'message', 'status']);
  assert.equal(meantAttribute('status_code', attrs), 'status');
  assert.equal(meantAttribute('mesage', attrs), 'message');
  assert.equal(meantAttribute('body', attrs), undefined);
  assert.equal(meantAttribute('status_code', ['status', 'code']), undefined, 'two attributes of its words');
  assert.deepEqual(classAttributes(routing, 'Router').sort(), ['add', 'match', 'routes']);
});

test('a class made with no arguments: an __init__ of defaults, or none; a dataclass without required fields', () => {
  assert.equal(madeWithoutArguments(routing, 'Router'), true);
  assert.equal(madeWithoutArguments(routing, 'HttpError'), false);
  assert.equal(madeWithoutArguments('class A:\n    def __init__(self, size=3, *, name="a"):\n        pass\n', 'A'), true);
  assert.equal(madeWithoutArguments('@dataclass\nclass P:\n    x: int\n    y: int = 0\n', 'P'), false);
  assert.equal(madeWithoutArguments('@dataclass\nclass P:\n    x: int = 0\n', 'P'), true);
  assert.equal(madeWithoutArguments('class Q(Base):\n    pass\n', 'Q'), false, 'a base may want arguments');
  assert.equal(madeWithoutArguments('class Q:\n    pass\n', 'Missing'), false);
});

test('a fixture pytest did not find is made in each test that takes it, when its class is certain and takes no arguments', async () => {
  const output = [
    '_________________ ERROR at setup of test_unknown_path _________________',
    'file /work/tests/test_routing.py, line 5',
    '  def test_unknown_path(router: Router):',
    "E       fixture 'router' not found",
    '>       available fixtures: cache, capfd, monkeypatch, tmp_path',
    '',
  ].join('\n');
  const source = async (name: string) => (name === 'Router' || name === 'HttpError' ? routing : undefined);
  const fixed = await pytestFix('tests/test_routing.py', written, output, source);
  assert.ok(fixed);
  assert.match(fixed.text, /def test_unknown_path\(\):\n {4}router = Router\(\)\n {4}with pytest\.raises/);
  assert.match(fixed.text, /def test_known_path\(\):\n {4}router = Router\(\)\n {4}router\.add/);
  assert.match(fixed.what, /`router = Router\(\)` made in the test/);
  assert.equal(await pytestFix('tests/test_other.py', written, output, source), undefined, 'another file’s error');
  const needsArgs = written.replace(/router: Router/, 'error: HttpError').replace("E       fixture 'router'", "E       fixture 'error'");
  assert.equal(await pytestFix('tests/test_routing.py', needsArgs, output.replace("'router'", "'error'"), source), undefined, 'HttpError needs arguments');
});

test('in a turn: the fixture is made and the attribute read by its name, and the tests pass in the sandbox', async (t) => {
  const repo = await makeRepo({ 'routing.py': routing, 'tests/__init__.py': '', 'tests/test_placeholder.py': 'def test_nothing():\n    assert True\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('write_file', { path: 'tests/test_routing.py', content: written }), act('answer', { text: 'Added tests.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Write pytest tests for Router in routing.py in a new file tests/test_routing.py.');
  const after = await fs.readFile(path.join(repo.root, 'tests/test_routing.py'), 'utf8');
  assert.match(after, /def test_unknown_path\(\):\n {4}router = Router\(\)\n/);
  assert.match(after, /assert excinfo\.value\.status == 404/);
  const seen = model.prompts[1].at(-1)!.content;
  assert.match(seen, /assist fixed it \(tests\/test_routing\.py: `router = Router\(\)` made in the test/, seen);
  assert.match(seen, /`\.status` for `\.status_code`/, seen);
  assert.match(seen, /tests PASSED/, seen);
});

test('a case test written with a fixture no one defines: the object is made in it, the test kept, and named as it is now', async (t) => {
  const head = 'from routing import HttpError, Router\nimport pytest\n';
  const unknown =
    'unknown_path(router: Router):\n    with pytest.raises(HttpError) as excinfo:\n        router.match("GET", "/nowhere")\n    assert excinfo.value.status_code == 404\n';
  const known = 'known_path():\n    router = Router()\n    router.add("GET", "/a", "handler")\n    assert router.match("GET", "/a") == "handler"\n';
  const model = new ScriptedModel([], { infills: [head, unknown, known] });
  const request =
    'Add pytest tests for `Router` (in routing.py) in a new file tests/test_routing.py. Cover at least: an unknown path raises an HttpError with status 404, and a known path gives its handler.';
  const turn = await repairTurn(
    t,
    {
      'routing.py': routing,
      'tests/__init__.py': '',
      'tests/test_router_add.py':
        'from routing import Router\n\n\ndef test_add():\n    router = Router()\n    router.add("GET", "/a", 1)\n    assert router.match("GET", "/a") == 1\n',
    },
    model,
    request,
  );
  if (!turn) return;
  assert.match(await turn.read('tests/test_routing.py'), /def test_unknown_path\(\):\n {4}router = Router\(\)\n[^]*assert excinfo\.value\.status == 404\n/);
  assert.match(turn.result.text, /^Wrote 2 tests in tests\/test_routing\.py by code completion[^:]*: def test_unknown_path\(\):; def test_known_path\(\):/);
});
