# Hidden check of an add-test task: sh hidden/check-new-tests.sh MODULE
# The module must be unchanged; the test files the agent added must pass on it, and must fail on
# each broken copy of it in hidden/mutants/.
set -u
module="$1"
run() { node --disable-warning=ExperimentalWarning --experimental-test-isolation=none --test "$@"; }
cmp -s "$module" hidden/original.ts || { echo "$module was changed; the task is to test it, not to change it"; exit 1; }
new="$(find . -name '*.test.ts' -not -path './hidden/*' -not -path './node_modules/*' | sed 's#^\./##' | sort | grep -vxF -f hidden/original-tests.txt)"
[ -n "$new" ] || { echo "no new test file (*.test.ts) was added"; exit 1; }
echo "new test files:" $new
run $new || { echo "the new tests fail on the real $module"; exit 1; }
cp "$module" "${TMPDIR:-/tmp}/module-under-test.ts"
status=0
for mutant in hidden/mutants/*.ts; do
  cp "$mutant" "$module"
  if run $new >/dev/null 2>&1; then
    echo "the new tests still pass when $module is broken: $(head -1 "$mutant")"
    status=1
  else
    echo "caught: $(head -1 "$mutant")"
  fi
done
cp "${TMPDIR:-/tmp}/module-under-test.ts" "$module"
exit $status
