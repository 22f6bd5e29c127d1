import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildContext, cutToTokens, headWithin, type HistoryEntry } from '../../src/agent/context.ts';
import { ModelError } from '../../src/model/language-model.ts';

const count = (text: string) => Math.ceil(text.length / 4);
const total = (messages: Array<{ content: string }>) => messages.reduce((n, m) => n + count(m.content) + 8, 0);

function conversation(turns: number, observationChars: number): HistoryEntry[] {
  const history: HistoryEntry[] = [];
  for (let t = 0; t < turns; t++) {
    history.push({ kind: 'user', text: `question ${t}` });
    for (let s = 0; s < 3; s++) {
      history.push({ kind: 'action', action: { thought: `step ${s}`, tool: 'read_file', args: { path: `f${s}.ts` } } });
      history.push({ kind: 'observation', tool: 'read_file', text: `turn ${t} step ${s} `.repeat(observationChars / 16) });
    }
  }
  return history;
}

test('a conversation that fits is sent whole: system first, then alternating turns', () => {
  const built = buildContext({
    countTokens: count,
    contextSize: 4096,
    reserveTokens: 512,
    stablePrefix: 'SYSTEM',
    projectContext: 'MAP',
    history: conversation(1, 64),
  });
  assert.equal(built.compacted, 0);
  assert.equal(built.messages[0].role, 'system');
  assert.equal(built.messages[0].content, 'SYSTEM\n\nMAP');
  assert.deepEqual(
    built.messages.slice(1).map((m) => m.role),
    ['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user'],
  );
  assert.ok(built.messages[2].content.startsWith('{"thought"'));
  assert.ok(built.messages[3].content.startsWith('Observation (read_file):'));
});

test('a long history is compacted and trimmed to fit, keeping the stable prefix and the current request', () => {
  for (const contextSize of [1024, 2048, 8192]) {
    const history = conversation(6, 2000);
    const built = buildContext({ countTokens: count, contextSize, reserveTokens: 256, stablePrefix: 'SYSTEM PROMPT', history, finalNote: 'LAST' });
    assert.ok(built.promptTokens <= contextSize - 256, `${built.promptTokens} > ${contextSize - 256}`);
    assert.equal(total(built.messages), built.promptTokens);
    assert.ok(built.compacted > 0);
    assert.ok(built.messages[0].content.startsWith('SYSTEM PROMPT'));
    const all = built.messages.map((m) => m.content).join('\n');
    assert.ok(all.includes('question 5'), 'the current request is kept');
    assert.ok(built.messages.at(-1)!.content.endsWith('LAST'));
    assert.equal(history[1].kind, 'action', "the caller's history is not changed");
    assert.equal((history[2] as { text: string }).text.length > 1000, true);
  }
});

test('one huge observation is cut with a note, not sent whole', () => {
  const history: HistoryEntry[] = [
    { kind: 'user', text: 'read it' },
    { kind: 'action', action: { thought: '', tool: 'read_file', args: { path: 'big.txt' } } },
    { kind: 'observation', tool: 'read_file', text: 'line of a very big file\n'.repeat(20_000) },
  ];
  const built = buildContext({ countTokens: count, contextSize: 2048, reserveTokens: 512, stablePrefix: 'S', projectContext: 'MAP '.repeat(100), history });
  assert.ok(built.promptTokens <= 2048 - 512);
  assert.match(built.messages.at(-1)!.content, /cut here to fit the context/);
});

test('a prompt that cannot fit is a context_overflow error, never sent', () => {
  assert.throws(
    () => buildContext({ countTokens: count, contextSize: 256, reserveTokens: 128, stablePrefix: 'x'.repeat(2000), history: [{ kind: 'user', text: 'hi' }] }),
    (e: unknown) => e instanceof ModelError && e.code === 'context_overflow' && /model.contextSize/.test(e.message),
  );
  assert.throws(
    () => buildContext({ countTokens: count, contextSize: 512, reserveTokens: 128, stablePrefix: 'S', history: [{ kind: 'user', text: 'y'.repeat(4000) }] }),
    (e: unknown) => e instanceof ModelError && e.code === 'context_overflow',
  );
});

test('cutToTokens keeps the head and the tail and says how much was cut', () => {
  const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
  const cut = cutToTokens(text, 200, count);
  assert.ok(count(cut) <= 200);
  assert.ok(cut.startsWith('line 0\n'));
  assert.ok(cut.endsWith('line 999'));
  assert.match(cut, /\[\.\.\. \d+ characters \(\d+ lines\) cut here/);
  assert.equal(cutToTokens('short', 200, count), 'short');
});

test('huge actions (a whole file written) are shortened too, older ones first', () => {
  const history: HistoryEntry[] = [{ kind: 'user', text: 'write files' }];
  for (let i = 0; i < 4; i++) {
    history.push({
      kind: 'action',
      action: { thought: 't', tool: 'write_file', args: { path: `f${i}.py`, content: `# file ${i}\n` + 'x = 1\n'.repeat(2000) } },
    });
    history.push({ kind: 'observation', tool: 'write_file', text: `wrote f${i}.py` });
  }
  const built = buildContext({ countTokens: count, contextSize: 2048, reserveTokens: 256, stablePrefix: 'S', history });
  assert.ok(built.promptTokens <= 2048 - 256);
  const text = built.messages.map((m) => m.content).join('\n');
  assert.match(text, /more characters not shown/);
  assert.match(text, /wrote f3\.py/);
});

test('the head of a text within a token budget: whole lines from the top, as many as fit', () => {
  const count = (t: string) => Math.ceil(t.length / 4);
  const text = 'import a\n\ndef test_one():\n    assert a.one() == 1\n\ndef test_two():\n    assert a.two() == 2\n';
  assert.equal(headWithin(text, 100, count), text, 'all of it fits');
  assert.equal(headWithin(text, 12, count), 'import a\n\ndef test_one():\n');
  assert.equal(headWithin(text, 1, count), '', 'not even a line');
});
