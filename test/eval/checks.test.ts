/**
 * Proves every task's hidden check is real, in the real sandbox: it FAILS on the untouched
 * workspace and PASSES once the hand-written reference solution is laid over it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { runCheck } from '../../src/eval/check.ts';
import { copyWorkspace, loadSuite, readTree, startingTree, writeTree } from '../../src/eval/suite.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';

test('every hidden check fails on the starting workspace and passes on the reference solution', { timeout: 30 * 60_000 }, async (t) => {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-checks-'));
  const { sandbox, reason } = await openSandbox(structuredClone(defaults), { root: scratch });
  if (!sandbox) {
    await fs.rm(scratch, { recursive: true, force: true });
    if (process.env.CI) assert.fail(`No sandbox in CI: ${reason}`);
    t.skip(`no sandbox here: ${reason}`);
    return;
  }
  t.diagnostic(`sandbox: ${reason}`);
  try {
    for (const task of await loadSuite()) {
      const solution = await readTree(path.join(task.dir, 'solution'));
      const answer = solution.get('ANSWER.txt') ?? '';
      solution.delete('ANSWER.txt');
      for (const variant of ['untouched', 'solution'] as const) {
        const work = await fs.mkdtemp(path.join(scratch, `${task.id}-`));
        await copyWorkspace(task, work);
        if (variant === 'solution') await writeTree(work, solution);
        const outcome = await runCheck(task, work, variant === 'solution' ? answer : '', sandbox);
        const output = outcome.run ? `\n${outcome.run.stdout}\n${outcome.run.stderr}` : '';
        if (variant === 'solution') assert.ok(outcome.passed, `${task.id}: reference solution fails its check: ${outcome.reason}${output}`);
        else assert.ok(!outcome.passed, `${task.id}: the check passes on the untouched workspace`);
        const after = await readTree(work);
        const expected = await startingTree(task);
        if (variant === 'untouched') {
          assert.deepEqual([...after.keys()].sort(), [...expected.keys()].sort(), `${task.id}: the check changed the workspace on disk`);
        }
      }
    }
  } finally {
    await sandbox.dispose();
    await fs.rm(scratch, { recursive: true, force: true });
  }
});
