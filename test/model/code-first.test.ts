/**
 * Code first (model/code-first.ts): the tokens that open a comment, read off the real vocabulary of
 * the tiny GGUF, banned while the middle is blank; through the real engine, a middle asked to open
 * with code does.
 */
import { type TestContext, test } from 'node:test';
import assert from 'node:assert/strict';
import { type LlamaContext, LlamaCompletion, type LlamaModel, type Token, type TokenBias } from 'node-llama-cpp';
import { codeFirstBias, commentStartTokens } from '../../src/model/code-first.ts';
import { generateInfill } from '../../src/model/infill.ts';
import { FIRST_BYTE_TOKEN, tinyVocabulary } from '../support/tiny-gguf.ts';
import { loadTinyFimModel } from './fixtures.ts';

/** Every token of the tiny vocabulary whose text, spaces before it aside, opens a comment marked `marker`, found the slow way. */
function expected(llama: LlamaModel, marker: string): Token[] {
  const found: Token[] = [];
  for (let id = 0; id < tinyVocabulary().tokens.length; id++) {
    const text = llama.detokenize([id as Token], false).trimStart();
    if (text && (text.startsWith(marker) || marker.startsWith(text))) found.push(id as Token);
  }
  return found;
}

/** The tiny GGUF's engine model (with FIM tokens), disposed after the test. */
async function tinyLlama(t: TestContext): Promise<LlamaModel> {
  const model = await loadTinyFimModel(true);
  t.after(() => model.dispose());
  return (model as unknown as { model: LlamaModel }).model;
}

/** The tiny engine model and a context of it, both disposed after the test. */
async function tinyEngine(t: TestContext): Promise<{ llama: LlamaModel; context: LlamaContext }> {
  const llama = await tinyLlama(t);
  const context = await llama.createContext({ contextSize: 2048 });
  t.after(() => context.dispose());
  return { llama, context };
}

test('code first: the tokens that open a comment are the marker, what begins with it and what begins it, not spaces or words', async (t) => {
  const llama = await tinyLlama(t);
  const hash = commentStartTokens(llama, '#');
  assert.deepEqual(hash, expected(llama, '#'));
  assert.ok(hash.includes((FIRST_BYTE_TOKEN + 0x23) as Token), 'the byte token of `#`');
  const piece = (text: string) => tinyVocabulary().tokens.indexOf(text) as Token;
  assert.ok(hash.includes(piece('#')), 'the piece `#`');
  const slashes = commentStartTokens(llama, '//');
  assert.ok(slashes.includes(piece('/')), '`/`, which a second `/` makes a comment');
  for (const word of ['hello', '\u2581hello', 'x', '\u2581\u2581']) {
    const token = piece(word);
    assert.ok(token > 0, word);
    assert.ok(!hash.includes(token) && !slashes.includes(token), word);
  }
  assert.equal(commentStartTokens(llama, '#'), hash, 'read once per model and marker');
});

test('code first: the ban holds while the middle is blank and ends at its first character', async (t) => {
  const llama = await tinyLlama(t);
  const bias = codeFirstBias(llama, '#');
  const banned = bias.tokenBias();
  bias.seen('\n  ');
  assert.equal(bias.tokenBias(), banned, 'indentation is not code yet');
  bias.seen('x = 1');
  assert.notEqual(bias.tokenBias(), banned, 'once code began, a comment may follow');
});

test('code first: through the real engine, the text a middle would open with is what it cannot open with once banned, greedy or sampled', async (t) => {
  const { llama, context } = await tinyEngine(t);
  const sequence = context.getSequence();
  const ask = { path: 'count.sh', prefix: '#!/bin/bash\n# Request: print the number of lines\n', suffix: '', maxTokens: 6 };
  // (random weights: the character the greedy middle opens with stands for a comment's marker)
  const free = (await generateInfill(llama, sequence, ask)) ?? '';
  const marker = free.trimStart()[0];
  assert.ok(marker, `the greedy middle has text: ${JSON.stringify(free)}`);
  for (const seed of [0, 1, 2, 3, 4, 5]) {
    const middle = await generateInfill(llama, sequence, { ...ask, codeFirst: marker, ...(seed ? { temperature: 1.5, seed } : {}) });
    assert.equal(typeof middle, 'string');
    assert.ok(!(middle ?? '').trimStart().startsWith(marker), `seed ${seed}, marker ${JSON.stringify(marker)}: ${JSON.stringify(middle)}`);
  }
});

test('code first: through the real engine, a token that would end the middle is not written while it is blank', async (t) => {
  const { llama, context } = await tinyEngine(t);
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  t.after(() => completion.dispose());
  const prompt = llama.tokenize('#!/bin/bash\n');
  const firstToken = async (tokenBias?: () => TokenBias) => {
    let first: Token | undefined;
    await completion.generateCompletion(prompt, {
      maxTokens: 1,
      temperature: 0,
      ...(tokenBias ? { tokenBias } : {}),
      onToken: (tokens) => (first ??= tokens[0]),
    });
    return first;
  };
  // (random weights: the token greedy decoding writes first stands for an end of the middle)
  const end = await firstToken();
  assert.ok(end !== undefined);
  assert.notEqual(await firstToken(codeFirstBias(llama, '//', [end]).tokenBias), end);
});
