import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../src/config/defaults.ts';
import { configFromEnv } from '../src/config/env.ts';
import { loadConfig } from '../src/config/load.ts';
import { mergeLayers } from '../src/config/merge.ts';
import { ConfigError, validateConfig } from '../src/config/validate.ts';

function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roombook-config-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

test('no file and no environment: the defaults', () => {
  const cwd = tempDir();
  const { config, file } = loadConfig({ cwd, env: {} });
  assert.equal(file, null);
  assert.deepEqual(config, { ...defaultConfig, database: { ...defaultConfig.database, path: path.join(cwd, 'data', 'roombook.sqlite') } });
});

test('file, then environment, then overrides; sections merge key by key', () => {
  const cwd = tempDir({ 'roombook.config.json': JSON.stringify({ server: { port: 9000 }, log: { format: 'json' } }) });
  const { config, file } = loadConfig({ cwd, env: { ROOMBOOK_LOG_LEVEL: 'debug', ROOMBOOK_HOST: '0.0.0.0' }, overrides: { database: { path: 'x.sqlite' } } });
  assert.equal(file, path.join(cwd, 'roombook.config.json'));
  assert.equal(config.server.port, 9000);
  assert.equal(config.server.host, '0.0.0.0');
  assert.equal(config.server.maxBodyBytes, defaultConfig.server.maxBodyBytes);
  assert.deepEqual(config.log, { level: 'debug', format: 'json' });
  assert.equal(config.database.path, path.join(cwd, 'x.sqlite'), 'a relative database path is taken from cwd');
});

test('ROOMBOOK_CONFIG names the file; a named file must exist', () => {
  const cwd = tempDir({ 'other.json': JSON.stringify({ api: { defaultPageSize: 10 } }) });
  assert.equal(loadConfig({ cwd, env: { ROOMBOOK_CONFIG: 'other.json' } }).config.api.defaultPageSize, 10);
  assert.throws(() => loadConfig({ cwd, env: { ROOMBOOK_CONFIG: 'missing.json' } }), /does not exist/);
  assert.throws(() => loadConfig({ cwd, env: {}, file: 'missing.json' }), /--config/);
});

test('bad values are reported with their keys', () => {
  const cwd = tempDir({ 'roombook.config.json': JSON.stringify({ server: { port: 70000, colour: 'red' }, bookings: { openingHour: 18, closingHour: 9 } }) });
  try {
    loadConfig({ cwd, env: {} });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const fields = error.problems.map((p) => p.field);
    assert.ok(fields.includes('server.port'), fields.join());
    assert.ok(fields.includes('server.colour'), fields.join());
  }
  assert.throws(() => loadConfig({ cwd: tempDir({ 'roombook.config.json': '{ nope' }), env: {} }), /cannot be read as JSON/);
});

test('cross-field checks run once every value is valid', () => {
  const merged = mergeLayers(defaultConfig, { bookings: { openingHour: 18, closingHour: 9 } });
  assert.throws(() => validateConfig(merged), /closingHour: must be later than openingHour/);
  assert.throws(() => validateConfig(mergeLayers(defaultConfig, { api: { defaultPageSize: 500 } })), /must not exceed maxPageSize/);
});

test('environment variables are parsed, empty ones ignored', () => {
  assert.deepEqual(configFromEnv({ ROOMBOOK_PORT: '9090', ROOMBOOK_DATABASE: '', OTHER: 'x' }), { layer: { server: { port: 9090 } }, problems: [] });
  assert.equal(configFromEnv({ ROOMBOOK_PORT: 'eighty' }).problems[0].field, 'ROOMBOOK_PORT');
  assert.throws(() => loadConfig({ cwd: tempDir(), env: { ROOMBOOK_PAGE_SIZE: 'lots' } }), /ROOMBOOK_PAGE_SIZE/);
});

test('mergeLayers leaves its inputs alone', () => {
  const layer = { server: { port: 1 } };
  const merged = mergeLayers(defaultConfig, layer) as { server: { port: number } };
  merged.server.port = 2;
  assert.equal(layer.server.port, 1);
  assert.equal(defaultConfig.server.port, 8080);
});
