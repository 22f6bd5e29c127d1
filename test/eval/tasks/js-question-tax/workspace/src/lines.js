module.exports = { lineTotal: (l) => l.price * l.qty };
