/**
 * Whether a project path looks like a test file, by the conventions of the table's languages:
 * `test_x.py` / `x_test.py`, `x_test.go`, `x.test.ts` / `x.spec.js`, `XTest.java`, `x_spec.rb` /
 * `test_x.rb`, `test_x.c`, files under a `test/`, `tests/`, `spec/` or `__tests__/` folder, and
 * Bash `*.bats` / `test_*.sh`. Pure: the agent uses it to tell the code under test from its tests.
 */
const testName = [
  /^test_.+\.\w+$/, // test_cart.py, test_x.rb, test_x.c, test_x.sh
  /^.+_test\.\w+$/, // cart_test.py, stack_test.go, x_test.rs
  /^.+[._-](test|spec)\.[cm]?[jt]sx?$/, // cart.test.ts, cart.spec.js, cart-test.mjs
  /^test-.+\.[cm]?[jt]s$/, // test-cart.js (node --test)
  /^.+Tests?\.(java|kt|cs|scala)$/, // CartTest.java
  /^.+_spec\.rb$/, // cart_spec.rb
  /^.+\.bats$/,
];

export function isTestPath(file: string): boolean {
  const parts = file.replace(/\\/g, '/').split('/');
  const name = parts.pop() ?? '';
  if (parts.some((dir) => /^(tests?|spec|__tests__)$/.test(dir))) return true;
  return testName.some((re) => re.test(name));
}

/** The name a test file's own name says it tests: `bookings-repo` for test/bookings-repo.test.ts, `cart` for test_cart.py, `Cart` for CartTest.java. */
export function testedName(testFile: string): string {
  const name = testFile.replace(/\\/g, '/').split('/').pop() ?? '';
  return name
    .replace(/\.[^.]+$/, '')
    .replace(/[._-](test|spec)$/, '')
    .replace(/^test[_-]/, '')
    .replace(/_(test|spec)$/, '')
    .replace(/Tests?$/, '');
}
