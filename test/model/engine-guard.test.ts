import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const guard = fileURLToPath(new URL('../../src/model/engine-guard.ts', import.meta.url));

/** Runs a module snippet as a file in a fresh Node process (the guard is process-wide). */
function runSnippet(code: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assist-guard-'));
  try {
    const file = path.join(dir, 'snippet.mts');
    writeFileSync(file, code);
    return spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an engine error that surfaces only as an unhandled rejection fails the generation in flight', () => {
  const result = runSnippet(`
    import { watchGeneration } from ${JSON.stringify(guard)};
    watchGeneration((error) => console.log('generation failed: ' + error.message));
    Promise.reject(new Error('Unexpected empty grammar stack after accepting piece: }'));
  `);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /generation failed: Unexpected empty grammar stack/);
});

test('an unrelated unhandled rejection still crashes the process as Node does by default', () => {
  const result = runSnippet(`
    import { watchGeneration } from ${JSON.stringify(guard)};
    watchGeneration(() => console.log('wrongly routed'));
    Promise.reject(new Error('boom from elsewhere'));
  `);
  assert.notEqual(result.status, 0);
  assert.doesNotMatch(result.stdout, /wrongly routed/);
  assert.match(result.stderr, /boom from elsewhere/);
});

const fixtures = fileURLToPath(new URL('./fixtures.ts', import.meta.url));
const languageModel = fileURLToPath(new URL('../../src/model/language-model.ts', import.meta.url));

test('a generation that hangs while its grammar error surfaces as an unhandled rejection fails with ModelError grammar, and the model recovers', () => {
  const result = runSnippet(`
    import { loadTinyModel, representativeSchema } from ${JSON.stringify(fixtures)};
    import { ModelError } from ${JSON.stringify(languageModel)};
    const model = await loadTinyModel();
    const messages = [{ role: 'user', content: 'read the file' }];
    const chat = model['chat'];
    const real = chat.generateResponse.bind(chat);
    // The failure mode of FACTS.md: the promise never settles; the error is an unhandled rejection.
    chat.generateResponse = () => {
      Promise.reject(new Error('Unexpected empty grammar stack after accepting piece: "x"'));
      return new Promise(() => {});
    };
    try {
      await model.next(messages, representativeSchema);
      console.log('no error');
    } catch (error) {
      console.log('first step: ' + (error instanceof ModelError ? error.code : String(error)));
    }
    chat.generateResponse = real;
    const next = await model.next(messages, representativeSchema, { seed: 2 });
    console.log('second step: ' + next.action.tool);
    console.log('replaced sequence: ' + (model['chat'] !== chat));
    await model.dispose();
  `);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /first step: grammar/);
  assert.match(result.stdout, /second step: \w+/);
  assert.match(result.stdout, /replaced sequence: true/);
});
