import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gbnfSnapshotPath, generateActionSnapshots, schemaSnapshotPath, writeActionSnapshots } from '../../grammars/build.ts';
import { hardenJsonGrammar } from '../../src/model/action-grammar.ts';

test('the committed action schema and grammar match the built-in tools (UPDATE_SNAPSHOTS=1 rewrites them)', async () => {
  if (process.env.UPDATE_SNAPSHOTS === '1') await writeActionSnapshots();
  const current = await generateActionSnapshots();
  const hint = 'A tool schema changed: run `UPDATE_SNAPSHOTS=1 npm test -- grammar-snapshot` and review the diff of grammars/.';
  assert.equal(await readFile(schemaSnapshotPath, 'utf8'), current.schema, hint);
  assert.equal(await readFile(gbnfSnapshotPath, 'utf8'), current.gbnf, hint);
  assert.match(current.gbnf, /"\\"answer\\""/);
});

test('the hardened grammar gives integers no exponent and at most 15 digits', () => {
  const base = [
    'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
    'fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
  ].join('\n');
  assert.equal(
    hardenJsonGrammar(base),
    [
      'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,14})',
      'fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?',
    ].join('\n'),
  );
});
