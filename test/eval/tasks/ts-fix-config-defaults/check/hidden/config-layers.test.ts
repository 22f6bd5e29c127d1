import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../src/config/defaults.ts';
import { loadConfig } from '../src/config/load.ts';
import { mergeLayers } from '../src/config/merge.ts';

function dirWith(config: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hidden-config-'));
  fs.writeFileSync(path.join(dir, 'roombook.config.json'), JSON.stringify(config));
  return dir;
}

test('a file that sets one setting of a section keeps the defaults of the others', () => {
  const { config } = loadConfig({ cwd: dirWith({ server: { port: 9000 }, bookings: { maxDaysAhead: 30 } }), env: {} });
  assert.deepEqual(config.server, { ...defaultConfig.server, port: 9000 });
  assert.deepEqual(config.bookings, { ...defaultConfig.bookings, maxDaysAhead: 30 });
  assert.deepEqual(config.log, defaultConfig.log);
});

test('file and environment combine within one section', () => {
  const { config } = loadConfig({ cwd: dirWith({ bookings: { openingHour: 7 } }), env: { ROOMBOOK_CLOSING_HOUR: '20', ROOMBOOK_LOG_FORMAT: 'json' } });
  assert.equal(config.bookings.openingHour, 7);
  assert.equal(config.bookings.closingHour, 20);
  assert.equal(config.bookings.slotMinutes, defaultConfig.bookings.slotMinutes);
  assert.deepEqual(config.log, { level: defaultConfig.log.level, format: 'json' });
});

test('overrides with unset values leave the settings alone', () => {
  const { config } = loadConfig({ cwd: dirWith({}), env: { ROOMBOOK_PORT: '7000' }, overrides: { server: { port: undefined, host: 'localhost' } } });
  assert.equal(config.server.port, 7000);
  assert.equal(config.server.host, 'localhost');
  assert.equal(config.server.maxBodyBytes, defaultConfig.server.maxBodyBytes);
});

test('merging copies, it does not modify its inputs', () => {
  const file = { api: { maxPageSize: 50 } };
  const merged = mergeLayers(defaultConfig, file, { api: { defaultPageSize: 10 } }) as any;
  assert.deepEqual(merged.api, { defaultPageSize: 10, maxPageSize: 50 });
  merged.api.maxPageSize = 1;
  assert.deepEqual(file, { api: { maxPageSize: 50 } });
  assert.equal(defaultConfig.api.maxPageSize, 100);
});
