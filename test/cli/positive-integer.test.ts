import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { parsePositiveInteger, positiveIntegerOption } from '../../src/cli/positive-integer.ts';

test('a whole number typed by a person: digits only, from 1 to the maximum', () => {
  assert.equal(parsePositiveInteger('7'), 7);
  assert.equal(parsePositiveInteger(' 12 ', 12), 12);
  for (const text of ['0', '-1', '1.5', '1e3', '1e309', 'Infinity', '0x10', '', 'two', '9007199254740993'])
    assert.equal(parsePositiveInteger(text), undefined, text);
  assert.equal(parsePositiveInteger('101', 100), undefined);
});

test('as a commander option parser, the error says the range', () => {
  const parse = positiveIntegerOption(1000);
  assert.equal(parse('30'), 30);
  assert.throws(
    () => parse('1e309'),
    (e: unknown) => e instanceof InvalidArgumentError && e.message === 'expected a whole number from 1 to 1000, not "1e309".',
  );
});
