const test = require('node:test');
const assert = require('node:assert/strict');
const { greet } = require('../src/greet.js');
const { roster } = require('../src/roster.js');

test('greets by full name', () => {
  assert.equal(greet({ first: 'Ada', last: 'Lovelace' }), 'Hello, Ada Lovelace!');
  assert.equal(roster([{ first: 'b', last: 'x' }, { first: 'a', last: 'y' }]), 'a y\nb x');
});
