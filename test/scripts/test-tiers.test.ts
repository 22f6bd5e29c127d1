import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tierOf } from '../../scripts/test-tiers.mjs';

test('a test file is in the tier of the heaviest real thing it uses', () => {
  assert.equal(tierOf('test/text/edit-distance.test.ts'), 'unit');
  assert.equal(tierOf('test/model/text-protocol.test.ts'), 'engine', 'it loads the tiny GGUF');
  assert.equal(tierOf('test/sandbox/docker.test.ts'), 'docker');
  assert.equal(tierOf('test/cli/session-terminal.test.ts'), 'docker', 'a real terminal (tmux) is as heavy as a sandbox');
});
