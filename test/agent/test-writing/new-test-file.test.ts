/**
 * Where new tests go and which test to write them like (new-test-file.ts), and the turn that asks
 * for tests: the intake reads the example, and an answer with no test written goes back with the
 * path to write. The loop is under test, so the model is scripted; the repo is a real temp repo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleRange, exampleTest, newTestPath } from '../../../src/agent/test-writing/new-test-file.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });
const lines = (n: number, line = 'x') => Array.from({ length: n }, () => line).join('\n');

test('the example is a test that imports code beside the file to test, else one near it; the shortest of equals; never a helper', () => {
  const aTest = "test('works', () => {\n  assert.ok(true);\n});";
  const tests = [
    { path: 'test/bookings.test.ts', text: `import { listBookings } from '../src/db/bookings.ts';\n${lines(40)}\n${aTest}` },
    { path: 'test/http-api.test.ts', text: `import { request } from './helpers.ts';\n${lines(90)}\n${aTest}` },
    { path: 'test/routes.test.ts', text: `import { routes } from '../src/http/routes.ts';\n${lines(60)}\n${aTest}` },
    { path: 'test/tiny.test.ts', text: 'x' },
    // (the shortest, and imports from src/http and src/db: but it defines no test)
    {
      path: 'test/helpers.ts',
      text: `import { routes } from '../src/http/routes.ts';\nimport { listBookings } from '../src/db/bookings.ts';\n${lines(10)}`,
    },
    { path: 'tests/test_x.py', text: `${lines(30)}\ndef test_x():\n    assert True` },
  ];
  assert.equal(exampleTest('src/http/router.ts', tests), 'test/routes.test.ts', 'imports src/http/');
  assert.equal(exampleTest('src/db/bookings.ts', tests), 'test/bookings.test.ts', 'imports the file itself');
  assert.equal(exampleTest('src/util/time.ts', tests), 'test/bookings.test.ts', 'none near: the shortest of the same language');
  assert.equal(exampleTest('lib/slug.rb', tests), undefined, 'no Ruby test');
  assert.equal(exampleRange(lines(50)), undefined);
  assert.deepEqual(exampleRange(lines(200)), { from: 1, to: 80 });
});

test("a new test's path follows the name and folder most of the project's tests share", () => {
  assert.equal(newTestPath('src/http/router.ts', ['test/http-api.test.ts', 'test/bookings.test.ts', 'test/helpers.ts']), 'test/router.test.ts');
  assert.equal(newTestPath('tally/services/export.py', ['tests/test_cli.py', 'tests/api/test_routes.py', 'tests/conftest.py']), 'tests/test_export.py');
  assert.equal(newTestPath('pkg/clamp/clamp.go', ['pkg/stack/stack_test.go']), 'pkg/clamp/clamp_test.go', 'beside the code');
  assert.equal(newTestPath('src/http/router.ts', ['test/router.test.ts']), undefined, 'taken');
  assert.equal(newTestPath('lib/slug.rb', ['test/http-api.test.ts']), undefined, 'no test in that language');
});

test('asked for a test file, the intake reads a test to write it like; an answer with none written goes back with the path to write', async (t) => {
  const router = 'export function match(path: string): string | undefined {\n  return path === "/health" ? "health" : undefined;\n}\n';
  const example =
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { route } from '../src/http/routes.ts';\n\ntest('route', () => {\n  assert.equal(route('/'), 'home');\n});\n";
  const repo = await makeRepo({
    'package.json': '{ "name": "r", "type": "module" }\n',
    'src/http/router.ts': router,
    'src/http/routes.ts': "export const route = (p: string) => (p === '/' ? 'home' : '');\n",
    'test/routes.test.ts': example,
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('answer', { text: 'No changes needed.' }),
    act('answer', { text: 'No changes needed.' }),
    act('answer', { text: 'Done.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ actionFormat: 'text' }), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn(
    "src/http/router.ts has no tests of its own. Add a test file for it (node:test, like the other tests). Don't change the router.",
  );
  const first = model.prompts[0].map((m) => m.content).join('\n');
  assert.match(first, /I read test\/routes\.test\.ts, one of the project's tests, to write the new tests the same way\./);
  assert.match(first, /import \{ route \} from '\.\.\/src\/http\/routes\.ts';/);
  const reminder = model.prompts[1].at(-1)!.content;
  assert.match(
    reminder,
    /^\[Not yet: the request asks for new tests, and no test file was written\. Write test\/router\.test\.ts now \(named like the project's other tests\)/,
  );
  assert.match(reminder, /write_file[^\n]*test\/router\.test\.ts/);
  // the step right after an answer was sent back cannot answer (here each of the two was)
  const answers = (i: number) => JSON.stringify(model.schemas[i]).includes('"const":"answer"');
  assert.ok(answers(0) && !answers(1) && !answers(2));
  assert.ok(/tool-answer/.test(model.grammars[0]) && !/tool-answer/.test(model.grammars[1]));
});

test('tests written over the code they test go to the test file the request asks for; the code stays', async (t) => {
  const { readFile } = await import('node:fs/promises');
  const path = await import('node:path');
  const code = 'def export(rows):\n    """Rows as CSV text."""\n    return "\\n".join(",".join(map(str, r)) for r in rows)\n';
  const tests = 'from shop.export import export\n\n\ndef test_one_row():\n    assert export([(1, 2)]) == "1,2"\n';
  const repo = await makeRepo({ 'shop/__init__.py': '', 'shop/export.py': code });
  t.after(repo.cleanup);
  const more = `${tests}\n\ndef test_two_rows():\n    assert export([(1, 2), (3, 4)]) == "1,2\\n3,4"\n`;
  const model = new ScriptedModel([
    act('write_file', { path: 'shop/export.py', content: tests }),
    // again, once the test file is there (this turn wrote it): it takes the new tests
    act('write_file', { path: 'shop/export.py', content: more }),
    act('answer', { text: 'Done.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('shop/export.py has no tests. Write pytest tests for it in a new file tests/test_export.py. Do not change shop/export.py.');
  assert.equal(await readFile(path.join(repo.root, 'shop/export.py'), 'utf8'), code);
  assert.equal(await readFile(path.join(repo.root, 'tests/test_export.py'), 'utf8'), more);
  assert.match(
    model.prompts[1].at(-1)!.content,
    /The text written to shop\/export\.py is tests of it, so assist wrote it to tests\/test_export\.py, the test file to add/,
  );
});
