/**
 * Child process of apply-temps.test.ts: applies a change set of two files in the project given as
 * argument and is killed (SIGKILL, like a crash or the OOM killer) at the first rename of a temp
 * file over its target, after every temp was written.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const rename = fs.renameSync;
fs.renameSync = (from, to) => {
  if (String(from).endsWith('.tmp') && String(from).includes('.assist-')) process.kill(process.pid, 'SIGKILL');
  rename(from, to);
};
syncBuiltinESMExports();

const { openWorkspace } = await import('../../src/workspace/open-workspace.ts');
const ws = openWorkspace(process.argv[2]);
const changes = [await ws.proposeChange('src/a.txt', 'a2\n'), await ws.proposeChange('src/b.txt', 'b2\n')];
await ws.apply(changes);
