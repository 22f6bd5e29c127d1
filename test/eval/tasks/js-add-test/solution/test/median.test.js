const test = require('node:test');
const assert = require('node:assert/strict');
const { median } = require('../src/median.js');

test('odd length', () => assert.equal(median([3, 1, 2]), 2));
test('even length', () => assert.equal(median([4, 1, 3, 2]), 2.5));
