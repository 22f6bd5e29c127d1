const { TAX_RATE } = require('./rates.js');
const { lineTotal } = require('./lines.js');

function checkout(lines) {
  const net = lines.reduce((sum, l) => sum + lineTotal(l), 0);
  return net * (1 + TAX_RATE);
}
module.exports = { checkout };
