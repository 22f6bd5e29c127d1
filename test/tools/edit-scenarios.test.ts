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
