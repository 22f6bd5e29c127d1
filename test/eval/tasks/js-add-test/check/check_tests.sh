set -e
test -f test/median.test.js
node --test
cp src/median.js /tmp/median_orig.js
printf 'module.exports = { median: (v) => v[0] };\n' > src/median.js
if node --test >/dev/null 2>&1; then echo "tests did not catch a broken median"; cp /tmp/median_orig.js src/median.js; exit 1; fi
cp /tmp/median_orig.js src/median.js
