# The new tests must pass on lib/slug.rb as it is and fail on every broken copy in mutants/.
set -e
test -f test/test_slug.rb
grep -q "Minitest::Test" test/test_slug.rb
cmp -s lib/slug.rb pristine/slug.rb || { echo "lib/slug.rb was changed"; exit 1; }
cp lib/slug.rb /tmp/slug_orig.rb
ruby -Ilib -Itest test/test_slug.rb
status=0
for m in mutants/*.rb; do
  cp "$m" lib/slug.rb
  if ruby -Ilib -Itest test/test_slug.rb >/dev/null 2>&1; then echo "the tests did not catch $(basename "$m" .rb)"; status=1; fi
done
cp /tmp/slug_orig.rb lib/slug.rb
exit $status
