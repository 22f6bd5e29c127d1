/**
 * The wire schemas of the workspace tools are what the grammar and the model see: any drift must
 * be deliberate. To accept a change, regenerate with ASSIST_UPDATE_SNAPSHOTS=1 and review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deleteFileTool } from '../../tools/delete_file.ts';
import { editFileTool } from '../../tools/edit_file.ts';
import { editFilesTool } from '../../tools/edit_files.ts';
import { listFilesTool } from '../../tools/list_files.ts';
import { readFileTool } from '../../tools/read_file.ts';
import { searchCodeTool } from '../../tools/search_code.ts';
import { writeFileTool } from '../../tools/write_file.ts';
import { builtinTools } from '../../tools/index.ts';

const tools = [readFileTool, listFilesTool, searchCodeTool, writeFileTool, editFileTool, editFilesTool, deleteFileTool];
const snapshotFile = path.join(import.meta.dirname, 'snapshots', 'workspace-tools.json');

test('workspace tool schemas match the snapshot', () => {
  const current =
    JSON.stringify(
      tools.map((t) => ({ name: t.name, effect: t.effect, description: t.description, schema: t.schema })),
      null,
      2,
    ) + '\n';
  if (process.env.ASSIST_UPDATE_SNAPSHOTS === '1') writeFileSync(snapshotFile, current);
  assert.equal(current, readFileSync(snapshotFile, 'utf8'));
});

test('every workspace tool is registered once, and only the reading ones are read-only', () => {
  for (const tool of tools) assert.equal(builtinTools.filter((t) => t.name === tool.name).length, 1, tool.name);
  assert.deepEqual(
    tools.filter((t) => t.effect === 'read').map((t) => t.name),
    ['read_file', 'list_files', 'search_code'],
  );
});
