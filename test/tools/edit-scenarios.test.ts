/**
 * Edit scenarios: test/fixtures/edits/<name>/ holds input/ (a project), edits.json (a tool call and
 * optionally the expected error code) and expected/ (the project afterwards; absent: unchanged).
 * Each runs through the real tool, workspace and apply, and the trees are compared whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { builtinTools } from '../../tools/index.ts';
import { applyEdits } from '../../src/workspace/text-edits.ts';
import { makeProject, readTree } from './tool-context.ts';

const scenariosDir = path.join(import.meta.dirname, '..', 'fixtures', 'edits');
const scenarios = readdirSync(scenariosDir)
  .filter((name) => existsSync(path.join(scenariosDir, name, 'edits.json')))
  .sort();

test('there are edit scenarios', () => {
  assert.ok(scenarios.length >= 10, `found ${scenarios.length}`);
});

for (const name of scenarios) {
  test(`edit scenario: ${name}`, async () => {
    const dir = path.join(scenariosDir, name);
    const spec = JSON.parse(readFileSync(path.join(dir, 'edits.json'), 'utf8')) as { tool: string; args: Record<string, unknown>; error?: string };
    const project = makeProject({ fromDir: path.join(dir, 'input') });
    try {
      const tool = builtinTools.find((t) => t.name === spec.tool);
      assert.ok(tool, `no tool ${spec.tool}`);
      const result = await tool.execute(spec.args, project.ctx);
      const expectedDir = path.join(dir, spec.error ? 'input' : 'expected');
      if (spec.error) {
        assert.equal(result.error?.code, spec.error, result.forModel);
        assert.equal(project.asked.length, 0, 'a failed edit must not be offered for approval');
      } else {
        assert.equal(result.error, undefined, result.forModel);
        assert.equal(project.asked.length, 1);
      }
      assert.deepEqual(readTree(project.root), readTree(expectedDir));
      assert.deepEqual(project.workspace.pending(), []);
    } finally {
      project.cleanup();
    }
  });
}

test("an anchor found twice goes to the one place the last failure's line is in; elsewhere it stays an error", async () => {
  const block = '    List<String> lines = new ArrayList<>();\n    int start = 0;\n';
  const text = `class W {\n  static List<String> a() {\n${block}    return lines;\n  }\n  static List<String> b() {\n${block}${block}    return lines;\n  }\n}\n`;
  const renamed = { find: block, replace: '    List<String> more = new ArrayList<>();\n    int from = 0;\n' };
  // the compiler's error is on line 10, the doubled block's second copy (lines 10-11)
  const fixed = applyEdits(text, [renamed], 'W.java', [10]);
  assert.ok(fixed.ok);
  assert.equal(fixed.text, text.replace(`${block}${block}`, `${block}${renamed.replace}`));
  const nowhere = applyEdits(text, [renamed], 'W.java', [5]);
  assert.ok(!nowhere.ok && nowhere.code === 'ambiguous', 'a line in none of the places');
  const both = applyEdits(text, [renamed], 'W.java', [3, 10]);
  assert.ok(!both.ok && both.code === 'ambiguous', 'lines in two of the places');
  // a first edit adds two lines above: line 10 of the file as the failure saw it is line 12 now
  const header = { find: 'class W {\n', replace: 'import java.util.*;\n\nclass W {\n' };
  const second = applyEdits(text, [header, renamed], 'W.java', [10]);
  assert.ok(second.ok, second.ok ? '' : second.message);
  assert.equal(second.text, `import java.util.*;\n\n${fixed.text}`);

  const project = makeProject({ files: { 'W.java': text } });
  try {
    const edit = builtinTools.find((t) => t.name === 'edit_file')!;
    const ctx = { ...project.ctx, failingLines: (file: string) => (file === 'W.java' ? [10] : []) };
    const result = await edit.execute({ path: 'W.java', edits: [renamed] }, ctx);
    assert.equal(result.error, undefined, result.forModel);
    assert.equal(readFileSync(path.join(project.root, 'W.java'), 'utf8'), fixed.text);
  } finally {
    project.cleanup();
  }
});

test('an insertion the file holds already is not made again; the same lines added where they are not yet, are', () => {
  const text = 'path="$1"\necho "$path"\n';
  const again = applyEdits(text, [{ find: 'path="$1"\n', replace: 'path="$1"\necho "$path"\n' }], 'norm.sh');
  assert.ok(!again.ok);
  assert.match(
    again.message,
    /^Nothing was changed: norm\.sh holds the edit's replacement already, around the found lines \(line 1\), so applying it would add/,
  );
  const elsewhere = applyEdits(text, [{ find: 'echo "$path"\n', replace: 'echo "$path"\nexit 0\n' }], 'norm.sh');
  assert.ok(elsewhere.ok);
  assert.equal(elsewhere.text, 'path="$1"\necho "$path"\nexit 0\n');
});
