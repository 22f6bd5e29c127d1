import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as time from '../src/domain/time.ts';

test('parseTimestamp is the name, and it still parses', () => {
  const parse = (time as Record<string, unknown>).parseTimestamp as (text: string) => number | undefined;
  assert.equal(typeof parse, 'function');
  assert.equal('parse' + 'Instant' in time, false);
  assert.equal(parse('2031-01-05T08:15:00+01:00'), Date.UTC(2031, 0, 5, 7, 15));
  assert.equal(parse('2031-02-29T08:15:00Z'), undefined);
});
