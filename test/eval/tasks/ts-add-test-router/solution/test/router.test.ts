import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from '../src/http/router.ts';

function sample(): Router<string> {
  return new Router<string>()
    .add('GET', '/rooms', 'list rooms')
    .add('POST', '/rooms', 'add room')
    .add('GET', '/rooms/:id', 'show room')
    .add('DELETE', '/rooms/:id', 'remove room')
    .add('GET', '/rooms/:id/bookings/:bookingId', 'show booking');
}

test('matches method and path', () => {
  const router = sample();
  assert.deepEqual(router.match('GET', '/rooms'), { kind: 'found', handler: 'list rooms', params: {}, pattern: '/rooms' });
  assert.equal((router.match('post', '/rooms') as { handler: string }).handler, 'add room');
  assert.equal((router.match('GET', '/rooms/') as { handler: string }).handler, 'list rooms');
});

test('captures and decodes path parameters', () => {
  const router = sample();
  const found = router.match('GET', '/rooms/7/bookings/42');
  assert.equal(found.kind, 'found');
  assert.deepEqual(found.kind === 'found' && found.params, { id: '7', bookingId: '42' });
  const spaced = router.match('GET', '/rooms/Blue%20Room');
  assert.deepEqual(spaced.kind === 'found' && spaced.params, { id: 'Blue Room' });
  assert.deepEqual(router.match('GET', '/rooms/%E0%A4%A'), { kind: 'not-found' });
});

test('unknown paths are not found', () => {
  const router = sample();
  assert.deepEqual(router.match('GET', '/desks'), { kind: 'not-found' });
  assert.deepEqual(router.match('GET', '/rooms/7/extra'), { kind: 'not-found' });
  assert.deepEqual(router.match('GET', '/'), { kind: 'not-found' });
});

test('a known path with the wrong method lists the allowed methods', () => {
  const router = sample();
  assert.deepEqual(router.match('PUT', '/rooms/7'), { kind: 'method-not-allowed', allowed: ['DELETE', 'GET'] });
  assert.deepEqual(router.match('DELETE', '/rooms'), { kind: 'method-not-allowed', allowed: ['GET', 'POST'] });
  assert.equal(router.match('HEAD', '/rooms/7').kind, 'found');
});

test('bad patterns are refused', () => {
  assert.throws(() => new Router().add('GET', 'rooms', 'x'), /must start with/);
  assert.throws(() => new Router().add('GET', '/a/:id/b/:id', 'x'), /repeats/);
  assert.deepEqual(sample().describe()[0], 'GET /rooms');
});
