import { test } from 'node:test';
import assert from 'node:assert/strict';
import { likeness, rewritePieces } from '../../../src/agent/completion/rewrite-pieces.ts';

const body = '    values = read_env(env)\n    file = find(path)\n    if file:\n        values.update(read(file))\n    return values';

test('a rewrite in pieces: each run of changed lines alone, the rest of the body as it was', () => {
  const after = '    values = {}\n    file = find(path)\n    if file:\n        values.update(read(file))\n    values.update(read_env(env))\n    return values';
  const pieces = rewritePieces(body, after);
  assert.deepEqual(
    pieces.slice(0, 2).map((p) => p.what),
    ['part 1 alone', 'part 2 alone'],
  );
  assert.equal(pieces[0].body, body.replace('read_env(env)', '{}'));
  assert.equal(pieces[1].body, body.replace('    return values', '    values.update(read_env(env))\n    return values'));
});

test("a rewrite of every line: each new line alone, for the old line it is most like or after its predecessor's, the body's own statements first", () => {
  // pyapp-fix-env-override's greedy load_config, shortened: the environment applied last (the fix), the file found another way
  const before = '    values = read_env(env)\n    file = find(path, env)\n    if file is not None:\n        values.update(read(file))\n    return make(values)';
  const after = '    if path is None:\n        path = find(None, env)\n    values = read(path)\n    values.update(read_env(env))\n    return make(**values)';
  const pieces = rewritePieces(before, after);
  const fix =
    '    values = read_env(env)\n    file = find(path, env)\n    if file is not None:\n        values.update(read(file))\n    values.update(read_env(env))\n    return make(values)';
  const at = pieces.findIndex((p) => p.body === fix);
  assert.ok(at >= 0 && at < 4, `the fix among the first pieces: ${pieces.map((p) => p.what).join('; ')}`);
  assert.equal(pieces[at].what, 'new line 4 after old line 4');
  assert.ok(
    pieces.every((p) => !p.body.includes('if path is None:')),
    'a line that opens a block is never tried alone',
  );
  assert.ok(pieces.findIndex((p) => p.body.includes('path = find(None, env)')) > at, 'a nested line after the body’s own statements');
});

test('no piece is the whole rewrite or the body as it was', () => {
  assert.deepEqual(rewritePieces(body, body), []);
  const one = body.replace('read_env(env)', '{}');
  assert.deepEqual(rewritePieces(body, one), [], 'one line changed: in its place it is the rewrite itself, beside the old one no fix');
});

test('the body keeps its last line end as it had it', () => {
  assert.deepEqual(
    rewritePieces('a = 1\nb = 2\nc = 3\n', 'a = 9\nb = 2\nc = 8\n').map((p) => p.body),
    ['a = 9\nb = 2\nc = 3\n', 'a = 1\nb = 2\nc = 8\n', 'a = 9\na = 1\nb = 2\nc = 3\n', 'a = 1\nb = 2\nc = 8\nc = 3\n'],
  );
});

test('how alike two lines are: the words they share', () => {
  assert.equal(likeness('values.update(read(file))', 'values.update(read(file))'), 1);
  assert.equal(likeness('x = 1', 'return y'), 0);
  assert.ok(likeness('values = read(path)', 'values.update(read(file))') >= 0.5);
});
