const { getUserName } = require('./users.js');

function roster(users) {
  return users.map(getUserName).sort().join('\n');
}
module.exports = { roster };
