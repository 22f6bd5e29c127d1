import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffStat } from '../../src/text/diff-stat.ts';
import { editDistance } from '../../src/text/edit-distance.ts';

test('edit distance: Levenshtein by default, adjacent swaps as one edit when asked, and a limit that stops early', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('same', 'same'), 0);
  assert.equal(editDistance('mpa', 'map'), 2);
  assert.equal(editDistance('mpa', 'map', { transpositions: true }), 1);
  assert.equal(editDistance('abcdefgh', 'zyxwvuts', { limit: 3 }), 3, 'gives up at the limit');
  assert.equal(editDistance('abc', 'abd', { limit: 3 }), 1);
});

test('diff statistics count added and removed lines, not the file headers', () => {
  assert.deepEqual(diffStat('--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n-old\n+new\n+more\n'), { added: 2, removed: 1 });
});
