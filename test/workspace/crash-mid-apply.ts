/**
 * Child process of apply-temps.test.ts: applies a change set over every file under `src/` of the
 * project given as argument (each file gets the line "new" appended), and is killed (SIGKILL, like
 * a crash or the OOM killer) at a chosen point of it:
 *
 * - `journal`: every temp file is written, the journal is about to be (no rename has happened);
 * - `rename:N`: after N of the set's renames.
 *
 * With a third argument `undo`, the set is applied completely and the kill comes during its undo.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const [root, point, phase] = process.argv.slice(2);
let armed = false;
let renames = 0;
const rename = fs.renameSync;
fs.renameSync = (from, to) => {
  if (armed) {
    if (point === 'journal' && String(to).endsWith('journal.json')) process.kill(process.pid, 'SIGKILL');
    if (point.startsWith('rename:') && /\.assist-\d+-\d+\.tmp$/.test(String(from)) && renames++ === Number(point.slice('rename:'.length))) {
      process.kill(process.pid, 'SIGKILL');
    }
  }
  rename(from, to);
};
syncBuiltinESMExports();

const { openWorkspace } = await import('../../src/workspace/open-workspace.ts');
const ws = openWorkspace(root);
const names = fs
  .readdirSync(path.join(root, 'src'))
  .filter((n) => n.endsWith('.txt'))
  .sort();
const changes = [];
for (const name of names) {
  const rel = `src/${name}`;
  changes.push(await ws.proposeChange(rel, `${await ws.readText(rel)}new\n`));
}
armed = phase !== 'undo';
await ws.apply(changes);
armed = true;
await ws.undo();
process.exit(3); // not killed: the test's kill point was never reached
