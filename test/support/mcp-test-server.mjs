#!/usr/bin/env node
/**
 * A real MCP server (the official SDK's Server over stdio) for the MCP client tests. Plain
 * JavaScript, so it starts with `node` alone. Its tools:
 *
 * - `echo` {text, times?}: the text (times times), and the arguments as it received them;
 * - `lookup` {key: "alpha"|"beta"} (read-only hint): a value;
 * - `fail` {}: a result marked isError;
 * - `hang` {}: never answers;
 * - `crash` {}: the process exits mid-call (after a line on stderr);
 * - `snapshot` {}: an image part and a text part;
 * - `tree` {node}: a recursive $ref schema, which the action grammar cannot express.
 *
 * `MCP_TEST_EXIT_AT_START=1` makes it write an error and exit before it answers anything.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

if (process.env.MCP_TEST_EXIT_AT_START === '1') {
  process.stderr.write('mcp-test-server: cannot open the lookup table (MCP_TEST_EXIT_AT_START)\n');
  process.exit(2);
}

const tools = [
  {
    name: 'echo',
    description: 'Echo a text back, optionally repeated.',
    inputSchema: {
      type: 'object',
      properties: {
        text: { type: 'string', description: 'What to echo.', maxLength: 40 },
        times: { type: 'integer', minimum: 1, maximum: 3, description: 'How many times.' },
      },
      required: ['text'],
      additionalProperties: false,
    },
  },
  {
    name: 'lookup',
    description: 'Look a key up in the table.',
    inputSchema: { type: 'object', properties: { key: { type: 'string', enum: ['alpha', 'beta'] } }, required: ['key'] },
    annotations: { readOnlyHint: true, title: 'Lookup' },
  },
  { name: 'fail', description: 'Always reports an error.', inputSchema: { type: 'object', properties: {} } },
  { name: 'hang', description: 'Never answers.', inputSchema: { type: 'object' } },
  { name: 'crash', description: 'Exits in the middle of the call.', inputSchema: { type: 'object', properties: {} } },
  { name: 'snapshot', description: 'A picture and a caption.', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } },
  {
    name: 'tree',
    description: 'Takes a tree (a recursive schema).',
    inputSchema: {
      type: 'object',
      properties: { node: { $ref: '#/$defs/node' } },
      required: ['node'],
      $defs: {
        node: {
          type: 'object',
          properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } },
          required: ['label', 'children'],
        },
      },
    },
  },
];

const server = new Server({ name: 'assist-test-server', version: '1.0.0' }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const args = request.params.arguments ?? {};
  switch (request.params.name) {
    case 'echo': {
      const times = typeof args.times === 'number' ? args.times : 1;
      return {
        content: [
          { type: 'text', text: Array(times).fill(String(args.text)).join(' ') },
          { type: 'text', text: `received ${JSON.stringify(args)}` },
        ],
      };
    }
    case 'lookup':
      return { content: [{ type: 'text', text: args.key === 'alpha' ? 'alpha = 1' : 'beta = 2' }] };
    case 'fail':
      return { content: [{ type: 'text', text: 'the lookup table is locked' }], isError: true };
    case 'hang':
      return new Promise(() => {});
    case 'crash':
      process.stderr.write('mcp-test-server: crash requested\n');
      process.exit(3);
    case 'snapshot':
      return {
        content: [
          { type: 'image', data: Buffer.alloc(3000).toString('base64'), mimeType: 'image/png' },
          { type: 'text', text: 'a blank picture' },
        ],
      };
    default:
      return { content: [{ type: 'text', text: `no tool ${request.params.name}` }], isError: true };
  }
});

await server.connect(new StdioServerTransport());
