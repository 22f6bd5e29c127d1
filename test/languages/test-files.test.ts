import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTestPath } from '../../src/languages/test-files.ts';

test('test files of the table languages are told from the code they test', () => {
  const tests = [
    'test_cart.py',
    'tests/cart.py',
    'pkg/cart_test.py',
    'stack_test.go',
    'src/cart.test.ts',
    'cart.spec.js',
    'test-cart.js',
    'test/router.ts',
    'src/__tests__/x.tsx',
    'CartTest.java',
    'spec/cart_spec.rb',
    'test_slug.rb',
    'count.bats',
    'test_count.sh',
  ];
  const code = ['cart.py', 'shop/cart.py', 'stack.go', 'src/cart.ts', 'testing.py', 'contest.js', 'Cart.java', 'latest_news.rb', 'src/attest/x.ts'];
  for (const file of tests) assert.equal(isTestPath(file), true, file);
  for (const file of code) assert.equal(isTestPath(file), false, file);
});
