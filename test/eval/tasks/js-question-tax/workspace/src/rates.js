module.exports = { TAX_RATE: 0.075, SHIPPING_RATE: 0.02 };
