import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/cli/run-cli.ts';
import { captureIo } from './helpers.ts';

function workDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'roombook-cli-'));
}

test('help, version and unknown commands', async () => {
  const io = captureIo();
  assert.equal(await runCli(['--help'], io), 0);
  assert.match(io.out(), /rooms add/);
  assert.equal(await runCli(['--version'], io), 0);
  assert.match(io.out(), /roombook \d+\.\d+\.\d+/);
  const bad = captureIo();
  assert.equal(await runCli(['rooms', 'paint'], bad), 2);
  assert.match(bad.err(), /unknown command "rooms paint"/);
});

test('rooms, a booking, the agenda and free slots against one database file', async () => {
  const cwd = workDir();
  const run = async (...argv: string[]) => {
    const io = captureIo({ cwd, env: { ROOMBOOK_USER: 'ana@example.com' } });
    const code = await runCli(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
  assert.equal((await run('rooms', 'add', 'Aurora', '--capacity', '4', '--feature', 'video')).code, 0);
  assert.equal((await run('rooms', 'add', 'Borealis', '-c', '10', '--floor', '2')).code, 0);
  const list = await run('rooms', 'list', '--min-capacity', '5');
  assert.match(list.out, /Borealis/);
  assert.doesNotMatch(list.out, /Aurora/);

  const booked = await run('book', 'aurora', '--start', '2030-04-02T09:00:00Z', '--end', '2030-04-02T10:30:00Z', '--title', 'Standup', '--json');
  assert.equal(booked.code, 0, booked.err);
  const booking = JSON.parse(booked.out);
  assert.equal(booking.organizer, 'ana@example.com');

  const agenda = await run('agenda', 'Aurora', '--date', '2030-04-02');
  assert.match(agenda.out, /2030-04-02 09:00–10:30/);
  assert.match(agenda.out, /1h 30m/);

  const free = await run('free', 'Aurora', '--date', '2030-04-02', '--json');
  assert.deepEqual(JSON.parse(free.out), [
    { start: '2030-04-02T08:00:00Z', end: '2030-04-02T09:00:00Z' },
    { start: '2030-04-02T10:30:00Z', end: '2030-04-02T18:00:00Z' },
  ]);

  assert.equal((await run('cancel', String(booking.id))).code, 0);
  const again = await run('cancel', String(booking.id));
  assert.equal(again.code, 1);
  assert.match(again.err, /already cancelled/);
  assert.ok(fs.existsSync(path.join(cwd, 'data', 'roombook.sqlite')));
});

test('usage and input errors have their own exit codes', async () => {
  const cwd = workDir();
  const io = captureIo({ cwd });
  assert.equal(await runCli(['rooms', 'add', '--capacity', '4'], io), 2);
  assert.match(io.err(), /usage: roombook rooms add/);
  const invalid = captureIo({ cwd });
  assert.equal(await runCli(['rooms', 'add', 'Tiny', '--capacity', '0'], invalid), 1);
  assert.match(invalid.err(), /capacity: must be between 1 and 500/);
});

test('config shows the effective settings; migrate reports the schema', async () => {
  const cwd = workDir();
  fs.writeFileSync(path.join(cwd, 'roombook.config.json'), JSON.stringify({ server: { port: 9001 } }));
  const io = captureIo({ cwd, env: { ROOMBOOK_LOG_LEVEL: 'warn' } });
  assert.equal(await runCli(['config'], io), 0);
  const shown = JSON.parse(io.out());
  assert.equal(shown.server.port, 9001);
  assert.equal(shown.log.level, 'warn');
  const migrate = captureIo({ cwd });
  assert.equal(await runCli(['migrate', '--db', 'other.sqlite'], migrate), 0);
  assert.match(migrate.out(), /applied migration\(s\) 1, 2, 3/);
  const broken = captureIo({ cwd, env: { ROOMBOOK_PORT: 'x' } });
  assert.equal(await runCli(['config'], broken), 1);
  assert.match(broken.err(), /ROOMBOOK_PORT/);
});

test('serve answers until its signal fires', async () => {
  const controller = new AbortController();
  let printed = '';
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const io = {
    ...captureIo({ cwd: workDir() }),
    stdout: (text: string) => {
      printed += text;
      if (text.includes('listening')) listening();
    },
    signal: controller.signal,
  };
  const done = runCli(['serve', '--port', '0', '--db', ':memory:'], io);
  const first = await Promise.race([ready.then(() => 'listening'), done.then((code) => `exited with ${code}`)]);
  assert.equal(first, 'listening', io.err());
  const url = /listening on (\S+)/.exec(printed)![1];
  const health = await fetch(`${url}/health`);
  assert.equal(health.status, 200);
  controller.abort();
  assert.equal(await done, 0);
  assert.match(printed, /roombook stopped/);
});
