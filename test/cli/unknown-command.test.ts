import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../../src/cli/main.ts';
import { closestName } from '../../src/cli/unknown-command.ts';
import { editDistance as distance } from '../../src/text/edit-distance.ts';

const editDistance = (a: string, b: string) => distance(a, b, { transpositions: true });
import { UserError } from '../../src/cli/user-error.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/assist.js');
const commands = ['config', 'eval', 'map', 'models', 'run', 'ask', 'sandbox'];

test('the closest command: typos, swaps and prefixes, but nothing for an unrelated word', () => {
  assert.equal(editDistance('mpa', 'map'), 1);
  assert.equal(editDistance('', 'run'), 3);
  const cases: Array<[string, string | undefined]> = [
    ['mpa', 'map'],
    ['modles', 'models'],
    ['conf', 'config'],
    ['sandbx', 'sandbox'],
    ['RUN', 'run'],
    ['aks', 'ask'],
    ['foo', undefined],
    ['x', undefined],
    ['deploy', undefined],
  ];
  for (const [typed, expected] of cases) assert.equal(closestName(typed, commands), expected, typed);
});

async function parseError(...args: string[]): Promise<UserError> {
  const program = buildProgram();
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  try {
    await program.parseAsync(['node', 'assist', ...args]);
  } catch (error) {
    assert.ok(error instanceof UserError, `assist ${args.join(' ')}: ${String(error)}`);
    return error;
  }
  return assert.fail(`assist ${args.join(' ')} did not fail`);
}

test('a word that names no command is an unknown command, with the closest one and the list', async () => {
  const foo = await parseError('foo');
  assert.match(foo.message, /^unknown command 'foo'\.\n/);
  assert.doesNotMatch(foo.message, /Did you mean/);
  assert.match(foo.message, /Commands: config, eval, map, models, run, ask, sandbox\./);
  assert.match(foo.message, /`assist` alone starts a session/);

  assert.match((await parseError('mpa')).message, /^unknown command 'mpa'\. Did you mean 'map'\?/);
  assert.match((await parseError('--mode', 'suggest', 'rnu', 'task')).message, /^unknown command 'rnu'\. Did you mean 'run'\?/);
});

test('under a command with subcommands, with or without a default one', async () => {
  const models = await parseError('models', 'lst');
  assert.match(models.message, /^unknown command 'models lst'\. Did you mean 'models list'\?/);
  assert.match(models.message, /Commands of 'assist models': list, pull, import, use, rm\./);
  const sandbox = await parseError('sandbox', 'stat');
  assert.match(sandbox.message, /^unknown command 'sandbox stat'\. Did you mean 'sandbox status'\?/);
  assert.match(sandbox.message, /Commands of 'assist sandbox': status, build\./);
});

test('assist foo as a person sees it: one message, exit 2; assist help COMMAND works', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'assist-unknown-'));
  try {
    const env = { ...process.env, NO_COLOR: '1', ASSIST_CONFIG: path.join(cwd, 'none.json') };
    const foo = spawnSync(process.execPath, [bin, 'foo'], { cwd, env, encoding: 'utf8' });
    assert.equal(foo.status, 2);
    assert.equal(foo.stdout, '');
    assert.match(foo.stderr, /^error: unknown command 'foo'\.\nCommands: config, eval, map, models, run, ask, sandbox\./);
    assert.doesNotMatch(foo.stderr, /too many arguments/);
    const help = spawnSync(process.execPath, [bin, 'help', 'run'], { cwd, env, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: assist run \[options\] <task>/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
