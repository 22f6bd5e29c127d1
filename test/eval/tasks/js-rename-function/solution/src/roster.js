const { displayName } = require('./users.js');

function roster(users) {
  return users.map(displayName).sort().join('\n');
}
module.exports = { roster };
