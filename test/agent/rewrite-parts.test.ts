import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteParts } from '../../src/agent/rewrite-parts.ts';

const body = '    values = read_env(env)\n    file = find(path)\n    if file:\n        values.update(read(file))\n    return values';

test('each part of a rewrite alone: a run of changed lines between unchanged ones, the rest of the body as it was', () => {
  const after =
    '    values = {}\n    file = find(path, env)\n    if file:\n        values.update(read(file))\n    values.update(read_env(env))\n    return values';
  assert.deepEqual(rewriteParts(body, after), [
    '    values = {}\n    file = find(path, env)\n    if file:\n        values.update(read(file))\n    return values',
    '    values = read_env(env)\n    file = find(path)\n    if file:\n        values.update(read(file))\n    values.update(read_env(env))\n    return values',
  ]);
});

test('a rewrite of one part, or of more parts than a fix beside a reshaping has, gives none', () => {
  assert.deepEqual(rewriteParts(body, body.replace('read_env(env)', '{}')), [], 'one part: the rewrite itself');
  const many = body
    .split('\n')
    .map((line) => `${line} # changed`)
    .join('\n\n');
  assert.deepEqual(rewriteParts(body, many), []);
  assert.deepEqual(rewriteParts(body, body), []);
});

test('the body keeps its last line end as it had it', () => {
  const parts = rewriteParts('a\nb\nc\n', 'A\nb\nC\n');
  assert.deepEqual(parts, ['A\nb\nc\n', 'a\nb\nC\n']);
  assert.deepEqual(rewriteParts('a\nb\nc', 'A\nb\nC'), ['A\nb\nc', 'a\nb\nC']);
});
