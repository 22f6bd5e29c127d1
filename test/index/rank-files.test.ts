/** The intake's last resort: code files ranked against a request's words. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileStems, identifierStems, queryStems, rankByWords, stem } from '../../src/index/rank-files.ts';

test('words meet their identifiers: stems, camelCase and snake_case parts, no stop words', () => {
  assert.equal(stem('rejected'), stem('reject'));
  assert.equal(stem('bookings'), stem('booking'));
  assert.equal(stem('created'), stem('create'));
  assert.deepEqual(identifierStems('rejectUnknown'), ['reject', 'unknown']);
  assert.deepEqual(identifierStems('room_limits'), ['room', 'limit']);
  assert.deepEqual(queryStems('Please fix the page count: it is wrong for pageSize 10'), ['page', 'count', 'wrong', 'size']);
});

test('the file that holds most of the words, rare ones weighing more, ranks first; a file with none is left out', () => {
  const files = [
    fileStems('validation.ts', ['capacity', 'attendees', 'rejectUnknown', 'integer'], [3, 2, 2, 4]),
    fileStems('rooms.ts', ['capacity', 'roomName', 'render'], [1, 2, 1]),
    fileStems('bookings.ts', ['attendees', 'title'], [1, 1]),
    fileStems('clock.ts', ['now', 'tick'], [1, 1]),
  ];
  const ranked = rankByWords('A room with capacity 7.5 and 2.5 attendees was accepted; it should be rejected', files);
  assert.equal(ranked[0].path, 'validation.ts');
  assert.ok(!ranked.some((r) => r.path === 'clock.ts'));
  assert.deepEqual(rankByWords('the and of', files), [], 'only stop words: no ranking');
});
