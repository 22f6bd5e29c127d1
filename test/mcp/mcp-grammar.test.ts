/**
 * MCP tools in the real engine's grammars: the tools the real test server and the filesystem
 * reference server from npm list, reduced, join the built-in ones in both action grammars; each grammar compiles in node-llama-cpp (on the tiny
 * GGUF) and accepts, token by token, exactly the calls the schema allows.
 */
import { grammarAccepts } from '../support/grammar-accepts.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionGbnf, createActionGrammar } from '../../src/model/action-grammar.ts';
import { actionProtocol } from '../../src/model/action-protocol.ts';
import { headerJson } from '../../src/model/action-text.ts';
import type { EmbeddedModel } from '../../src/model/embedded.ts';
import type { Action } from '../../src/model/language-model.ts';
import { McpServers } from '../../src/mcp/mcp-servers.ts';
import { builtinTools } from '../../tools/index.ts';
import { orderTools, type Tool } from '../../tools/tool.ts';
import { loadTinyModel } from '../model/fixtures.ts';
import { filesystemServer, testServer } from './support.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: 'Ask the server.', tool, args });

let model: EmbeddedModel;
let hub: McpServers;
let tools: Tool<any>[];
before(async () => {
  model = await loadTinyModel({ contextSize: 2048 });
  const here = path.dirname(fileURLToPath(import.meta.url));
  hub = await McpServers.start({ demo: testServer(), fs: filesystemServer(here) }, { cwd: here, reservedNames: builtinTools.map((t) => t.name) });
  tools = orderTools([...builtinTools, ...hub.tools]);
  assert.ok(
    hub.tools.some((t) => t.name === 'fs__edit_file'),
    'the reference server started',
  );
});
after(async () => {
  await hub?.dispose();
  await model?.dispose();
});

const accepts = (grammarText: string, text: string) => grammarAccepts(model, grammarText, text);

const allowed = [
  act('demo__echo', { text: 'hi there', times: null }),
  act('demo__echo', { text: 'hi', times: 2 }),
  act('demo__lookup', { key: 'beta' }),
  act('demo__fail', {}),
  act('fs__edit_file', { path: 'a.txt', edits: [{ oldText: 'one', newText: 'two' }], dryRun: null }),
  act('fs__directory_tree', { path: '.', excludePatterns: ['node_modules'] }),
];
const refused = [
  act('demo__lookup', { key: 'gamma' }),
  act('demo__echo', { text: 'x'.repeat(41), times: null }),
  act('demo__echo', { text: 'hi' }),
  act('demo__tree', { node: { label: 'a', children: [] } }),
  act('fs__edit_file', { path: 'a.txt', edits: [{ oldText: 'one' }], dryRun: null }),
];

test('the text protocol: the grammar with MCP tools compiles in the engine and accepts exactly their calls', async () => {
  const protocol = actionProtocol('text', tools);
  const { text } = protocol.constrain(tools, { files: ['README.md'], seen: new Map() });
  for (const action of allowed) {
    const written = protocol.render(action);
    assert.ok(await accepts(text!.grammar, written), written);
    assert.deepEqual(text!.parse(written), action);
  }
  for (const action of refused) {
    // written out as they are (render would fill in a missing argument)
    const written = `{"thought": ${JSON.stringify(action.thought)}, "tool": ${JSON.stringify(action.tool)}, "args": ${headerJson(action.args)}}`;
    assert.equal(await accepts(text!.grammar, written), false, written);
  }
});

test('the JSON protocol: node-llama-cpp builds the schema grammar with MCP tools, and it accepts exactly their calls', async () => {
  const { schema } = actionProtocol('json', tools).constrain(tools);
  const compiled = await createActionGrammar(model.llama, schema);
  const gbnf = await actionGbnf(model.llama, schema);
  for (const action of allowed) {
    assert.ok(await accepts(gbnf, JSON.stringify(action)), JSON.stringify(action));
    assert.ok(compiled.validate(action), JSON.stringify(action));
  }
  for (const action of refused) assert.equal(await accepts(gbnf, JSON.stringify(action)), false, JSON.stringify(action));
});
