import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults } from '../../src/config/schema.ts';
import { openIndex } from '../../src/index/open-index.ts';
import type { RepoIndex } from '../../src/index/repo-index.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import { findSymbolTool } from '../../tools/find_symbol.ts';
import { outlineTool } from '../../tools/outline.ts';
import { builtinTools } from '../../tools/index.ts';
import type { ToolContext } from '../../tools/tool.ts';
import { tempProject } from './fixture-project.ts';

function context(root: string, index?: RepoIndex): ToolContext {
  return {
    root,
    config: defaults,
    workspace: openWorkspace(root),
    index,
    signal: new AbortController().signal,
    approve: async () => ({ kind: 'no', reason: 'index tools never ask' }) as never,
  };
}

async function withIndex(body: (ctx: ToolContext) => Promise<void>): Promise<void> {
  const { root, cleanup } = tempProject('golden');
  try {
    const index = openIndex(root, defaults, { threads: 1 });
    await index.update();
    await body(context(root, index));
  } finally {
    cleanup();
  }
}

test('both tools are registered and read-only', () => {
  for (const tool of [findSymbolTool, outlineTool]) {
    assert.ok(builtinTools.includes(tool), tool.name);
    assert.equal(tool.effect, 'read');
  }
});

test('find_symbol: definition with signature and path:line, and uses (not comments)', () =>
  withIndex(async (ctx) => {
    const result = await findSymbolTool.execute({ name: 'formatNumber' }, ctx);
    assert.equal(result.error, undefined);
    assert.match(result.forModel, /src\/util\/format\.ts:3 function {2}export function formatNumber\(value: number, digits = DEFAULT_DIGITS\): string/);
    assert.match(result.forModel, /src\/render\.ts:2 {2}import \{ formatNumber \} from '\.\/util\/format\.ts';/);
    assert.match(result.forModel, /src\/render\.ts:5 /);
    assert.match(result.forModel, /src\/util\/format\.ts:8 /);
    assert.doesNotMatch(result.forModel, /format\.ts:3 {2}/, 'the definition line is not listed as a use');
    // `Class.method` is looked up by its last part
    const method = await findSymbolTool.execute({ name: 'Report.build_report' }, ctx);
    assert.match(method.forModel, /scripts\/report\.py:2 method/);
    assert.match(method.forModel, /scripts\/report\.py:8 /);
  }));

test('find_symbol: unknown names get not_found with a suggestion', () =>
  withIndex(async (ctx) => {
    const result = await findSymbolTool.execute({ name: 'formatNumbr' }, ctx);
    assert.equal(result.error?.code, 'not_found');
    assert.match(result.forModel, /Did you mean `formatNumber`/);
    const bad = await findSymbolTool.execute({ name: 'a b(c)' }, ctx);
    assert.equal(bad.error?.code, 'invalid_args');
  }));

test('find_symbol caps the uses it lists and says so', async () => {
  const { root, cleanup } = tempProject();
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${root}/lib.py`, 'def shared():\n    pass\n');
    writeFileSync(`${root}/use.py`, Array.from({ length: 50 }, () => 'shared()').join('\n') + '\n');
    const index = openIndex(root, defaults, { threads: 1 });
    await index.update();
    const result = await findSymbolTool.execute({ name: 'shared' }, context(root, index));
    assert.match(result.forModel, /Uses of `shared` \(first 30; there are more, not shown\):/);
    assert.equal(result.forModel.split('\n').filter((l) => l.startsWith('  use.py:')).length, 30);
  } finally {
    cleanup();
  }
});

test('outline: definitions with line ranges, nested by containment', () =>
  withIndex(async (ctx) => {
    const result = await outlineTool.execute({ path: './src/geometry.ts' }, ctx);
    assert.equal(result.error, undefined);
    const lines = result.forModel.split('\n');
    assert.equal(lines[0], 'src/geometry.ts (6 definitions):');
    assert.ok(lines.includes('  7-10 class Circle: export class Circle implements Shape'), result.forModel);
    assert.ok(lines.includes('    9-9 method constructor: constructor(public size: number) {}'), result.forModel);
    assert.ok(lines.includes('  17-19 function computeArea: export function computeArea(shape: Shape): number'), result.forModel);
    const none = await outlineTool.execute({ path: 'README.md' }, ctx);
    assert.equal(none.error, undefined);
    assert.match(none.forModel, /README\.md: listed without symbols \(the index has no parser for this file type\)/);
  }));

test('outline: a missing file is not_found with a suggestion', () =>
  withIndex(async (ctx) => {
    const result = await outlineTool.execute({ path: 'geometry.ts' }, ctx);
    assert.equal(result.error?.code, 'not_found');
    assert.match(result.forModel, /Did you mean `src\/geometry\.ts`/);
  }));

test('without an index both tools answer unavailable', async () => {
  const { root, cleanup } = tempProject('golden');
  try {
    for (const [tool, args] of [
      [findSymbolTool, { name: 'x' }],
      [outlineTool, { path: 'x' }],
    ] as const) {
      const result = await tool.execute(args as never, context(root));
      assert.equal(result.error?.code, 'unavailable');
    }
  } finally {
    cleanup();
  }
});

test('the tools see files changed since the index was built', () =>
  withIndex(async (ctx) => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${ctx.root}/src/late.ts`, 'export function lateArrival(): number {\n  return 1;\n}\n');
    const found = await findSymbolTool.execute({ name: 'lateArrival' }, ctx);
    assert.match(found.forModel, /src\/late\.ts:1 function/);
    const outline = await outlineTool.execute({ path: 'src/late.ts' }, ctx);
    assert.match(outline.forModel, /1-3 function lateArrival/);
  }));

test('find_symbol: a name made of the same words, the verb a synonym, is suggested', async () => {
  const { root, cleanup } = tempProject();
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      `${root}/rooms.ts`,
      'export function addRoom() {}\nexport function removeRoom() {}\nexport function createBooking() {}\nexport function parseNewRoom() {}\nexport function tick() {}\n',
    );
    const index = openIndex(root, defaults, { threads: 1 });
    await index.update();
    const result = await findSymbolTool.execute({ name: 'createRoom' }, context(root, index));
    assert.equal(result.error?.code, 'not_found');
    assert.match(result.forModel, /Did you mean `addRoom`, `parseNewRoom`, `removeRoom`, `createBooking`\?/);
  } finally {
    cleanup();
  }
});
