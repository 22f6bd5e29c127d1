/**
 * The wire schemas of the index tools are what the grammar and the model see: drift must be
 * deliberate. To accept a change, regenerate with ASSIST_UPDATE_SNAPSHOTS=1 and review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findSymbolTool } from '../../tools/find_symbol.ts';
import { outlineTool } from '../../tools/outline.ts';
import { fixturesDir } from './fixture-project.ts';

const snapshotFile = path.join(fixturesDir, 'tool-schemas.json');

test('index tool schemas match the snapshot', () => {
  const current = `${JSON.stringify(
    [findSymbolTool, outlineTool].map((t) => ({ name: t.name, effect: t.effect, description: t.description, schema: t.schema })),
    null,
    2,
  )}\n`;
  if (process.env.ASSIST_UPDATE_SNAPSHOTS === '1') writeFileSync(snapshotFile, current);
  assert.equal(current, readFileSync(snapshotFile, 'utf8'));
});
