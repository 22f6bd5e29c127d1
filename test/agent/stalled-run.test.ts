/**
 * A run that fails as before with nothing changed (src/agent/stalled-run.ts): the code it runs is
 * written afresh by code completion before the model is told to change course. The loop is under
 * test, so the model is scripted (its actions and its fill-in-the-middle answers); the files and
 * the sandbox runs are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { anchorLine, filesRun } from '../../src/agent/stalled-run.ts';
import type { Action } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { lastPromptText, repairSession, testConfig } from './harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

test('the files a run runs: named in its command by path or file name, not by a longer name that ends the same', () => {
  assert.deepEqual(filesRun('bash count.sh data.txt', ['count.sh', 'other.sh']), ['count.sh']);
  assert.deepEqual(filesRun('python3 src/app.py --fast', ['src/app.py', 'src/util.py']), ['src/app.py']);
  assert.deepEqual(filesRun('./run.sh', ['run.sh']), ['run.sh']);
  assert.deepEqual(filesRun('bash mycount.sh', ['count.sh']), []);
  assert.deepEqual(filesRun('gcc -o t main.c && ./t', ['lib/main.c']), ['lib/main.c'], 'by its file name');
});

test('the line a rewrite is anchored at: the last line of code that is there once, not a comment or a line that only closes a block', () => {
  assert.equal(anchorLine('#!/bin/bash\n# Count.\necho "$(wc -l "$1")"\n'), 'echo "$(wc -l "$1")"');
  assert.equal(anchorLine('if [ -z "$1" ]; then\n  exit 1\nfi\nwc -l "$1"\nfi\n'), 'wc -l "$1"');
  assert.equal(anchorLine('x = 1\nprint(x)\nprint(x)\n# done\n'), 'x = 1', 'a line there twice does not say where');
  assert.equal(anchorLine('# only a comment\n\n'), undefined);
});

test('a failing run repeated with nothing changed: the script it runs is written afresh, checked by that run, and the model is told to run it again', async (t) => {
  const script = '#!/bin/bash\n# Count lines.\necho "Lines: $(wc -l "$1")"\n';
  const run = act('run_in_sandbox', { language: null, command: 'bash count.sh data.txt', code: null });
  const model = new ScriptedModel([act('write_file', { path: 'count.sh', content: script }), run, run, run, act('answer', { text: 'Done.' })], {
    infills: ['wc -l < "$1"\n'],
  });
  const s = await repairSession(t, { 'data.txt': 'a\nb\n' }, model, testConfig({ infillRepair: true }));
  if (!s) return;
  const result = await s.session.agent.runTurn(
    'Write a bash script count.sh that prints the number of lines in the file given as its first argument (just the number).',
  );
  assert.equal(result.status, 'answered', result.text);
  assert.equal(model.infillRequests.length, 1, 'after the second failing run, not the first');
  assert.match(model.infillRequests[0].prefix, /# The last run failed: .*print just the number/s, 'the failed run above the code');
  assert.equal(await readFile(path.join(s.root, 'count.sh'), 'utf8'), '#!/bin/bash\n# Count lines.\nwc -l < "$1"\n');
  assert.match(
    lastPromptText(model.prompts, 3),
    /The run failed as before with nothing changed, so code completion wrote the code of count\.sh afresh and it was checked with that run:\n[^]*Next: run it again to check it\./,
  );
  assert.doesNotMatch(lastPromptText(model.prompts, 3), /change course|cannot use/, 'no warning and no tool benched');
});

test('a failing run repeated whose rewrite does no better: the model is told to change course, as before, and the file stays', async (t) => {
  const script = '#!/bin/bash\necho "Lines: $(wc -l "$1")"\n';
  const run = act('run_in_sandbox', { language: null, command: 'bash count.sh data.txt', code: null });
  const model = new ScriptedModel([act('write_file', { path: 'count.sh', content: script }), run, run, act('answer', { text: 'Done.' })], {
    infills: ['echo "Count: $(wc -l "$1")"\n', 'echo "Count: $(wc -l "$1")"\n', 'echo "Count: $(wc -l "$1")"\n'],
  });
  const s = await repairSession(t, { 'data.txt': 'a\nb\n' }, model, testConfig({ infillRepair: true }));
  if (!s) return;
  await s.session.agent.runTurn('Write a bash script count.sh that prints the number of lines in the file given as its first argument (just the number).');
  assert.ok(model.infillRequests.length > 0, 'a rewrite was tried');
  assert.equal(await readFile(path.join(s.root, 'count.sh'), 'utf8'), script);
  assert.doesNotMatch(lastPromptText(model.prompts, 3), /wrote the code of count\.sh afresh/);
});

test('a change that does nothing to a failing run (an echo the run never reaches): the run is pointed at the line that printed its output, and the script is written afresh', async (t) => {
  const script = '#!/bin/bash\nif [ ! -f "$1" ]; then\n  echo "No such file: $1"\n  exit 1\nfi\necho "Lines in $1: $(wc -l "$1")"\n';
  const run = act('run_in_sandbox', { language: null, command: 'bash count.sh data.txt', code: null });
  const offPath = act('edit_file', { path: 'count.sh', edits: [{ find: '  echo "No such file: $1"\n', replace: '  echo "Lines in $1"\n' }] });
  const model = new ScriptedModel([act('write_file', { path: 'count.sh', content: script }), run, offPath, run, run, act('answer', { text: 'Done.' })], {
    infills: ['wc -l < "$1"\n'],
  });
  const s = await repairSession(t, { 'data.txt': 'a\nb\n' }, model, testConfig({ infillRepair: true }));
  if (!s) return;
  const result = await s.session.agent.runTurn(
    'Write a bash script count.sh that prints the number of lines in the file given as its first argument (just the number).',
  );
  assert.equal(result.status, 'answered', result.text);
  // the first failing run says which line printed its output
  assert.match(lastPromptText(model.prompts, 2), /That output came from count\.sh:6 `echo "Lines in \$1: \$\(wc -l "\$1"\)"`\./);
  assert.equal(model.infillRequests.length, 1, 'after the run the change did nothing to');
  assert.match(await readFile(path.join(s.root, 'count.sh'), 'utf8'), /wc -l < "\$1"/);
  assert.match(
    lastPromptText(model.prompts, 4),
    /The run failed as before after your change, which changed nothing it does, so code completion wrote the code of count\.sh afresh/,
  );
});
