const test = require('node:test');
const assert = require('node:assert/strict');
const { range } = require('../src/range.js');
const { sumRange } = require('../src/sum.js');

test('range is inclusive', () => {
  assert.deepEqual(range(2, 5), [2, 3, 4, 5]);
  assert.deepEqual(range(3, 3), [3]);
  assert.equal(sumRange(5, 5), 5);
});
