const { range } = require('./range.js');

/** Sum of the integers from start to end, both inclusive. */
function sumRange(start, end) {
  return range(start, end).reduce((a, b) => a + b, 0);
}
module.exports = { sumRange };
