const { displayName } = require('./users.js');

function greet(user) {
  return `Hello, ${displayName(user)}!`;
}
module.exports = { greet };
