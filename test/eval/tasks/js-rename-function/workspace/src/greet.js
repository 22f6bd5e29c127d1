const { getUserName } = require('./users.js');

function greet(user) {
  return `Hello, ${getUserName(user)}!`;
}
module.exports = { greet };
