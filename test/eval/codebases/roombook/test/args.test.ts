import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatOptions, parseArgs, UsageError, type OptionSpecs } from '../src/cli/args.ts';

const specs: OptionSpecs = {
  port: { type: 'integer', short: 'p', description: 'port' },
  host: { type: 'string', description: 'host' },
  json: { type: 'boolean', description: 'json' },
  feature: { type: 'list', description: 'feature' },
};

test('long, inline, short and positional arguments', () => {
  assert.deepEqual(parseArgs(['Aurora', '--port', '80', '--host=::1', '-p', '81', '--json', 'x'], specs), {
    options: { port: 81, host: '::1', json: true },
    positionals: ['Aurora', 'x'],
  });
});

test('lists collect repeated and comma-separated values', () => {
  assert.deepEqual(parseArgs(['--feature', 'video', '--feature=phone,projector'], specs).options.feature, ['video', 'phone', 'projector']);
});

test('--no-flag, negative numbers and -- end the options', () => {
  assert.deepEqual(parseArgs(['--no-json', '--port', '-1', '--', '--host'], specs), { options: { json: false, port: -1 }, positionals: ['--host'] });
});

test('mistakes are usage errors with a useful message', () => {
  assert.throws(() => parseArgs(['--prot', '8'], specs), (e) => e instanceof UsageError && /did you mean --port/.test(e.message));
  assert.throws(() => parseArgs(['--port'], specs), /needs a value/);
  assert.throws(() => parseArgs(['--port', 'x'], specs), /whole number/);
  assert.throws(() => parseArgs(['--json=yes'], specs), /takes no value/);
  assert.throws(() => parseArgs(['-pj'], specs), /one letter each/);
  assert.throws(() => parseArgs(['-z'], specs), /unknown option -z/);
});

test('help lines are aligned', () => {
  const lines = formatOptions(specs).split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^ {2}-p, --port PORT {2,}port$/);
  const columns = Object.values(specs).map((spec, i) => lines[i].indexOf(spec.description));
  assert.equal(new Set(columns).size, 1, lines.join('\n'));
});
