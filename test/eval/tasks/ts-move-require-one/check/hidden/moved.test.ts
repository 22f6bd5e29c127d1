import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as args from '../src/cli/args.ts';
import * as rooms from '../src/cli/commands/rooms.ts';

test('requireOne lives in src/cli/args.ts now', () => {
  const requireOne = (args as Record<string, unknown>).requireOne as (positionals: string[], what: string) => string;
  assert.equal(typeof requireOne, 'function');
  const left = (rooms as Record<string, unknown>)['require' + 'One'];
  assert.ok(left === undefined || left === requireOne, 'src/cli/commands/rooms.ts still has its own requireOne');
  assert.equal(requireOne([' Aurora '], 'room'), 'Aurora');
  assert.throws(() => requireOne([], 'room'), (e) => e instanceof args.UsageError && /room/.test(e.message));
  assert.throws(() => requireOne(['a', 'b'], 'room'), args.UsageError);
});
