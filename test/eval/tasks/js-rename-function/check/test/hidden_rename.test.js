const test = require('node:test');
const assert = require('node:assert/strict');
const users = require('../src/users.js');

test('renamed export', () => {
  assert.equal(typeof users.displayName, 'function');
  assert.equal(users['get' + 'UserName'], undefined);
  assert.equal(users.displayName({ first: 'A', last: 'B' }), 'A B');
});
