/**
 * MCP input schemas reduced to what the action grammar writes: optional arguments nullable (and
 * their nulls dropped before the call), unenforceable checks moved into descriptions, local $refs
 * followed, and what cannot be expressed reported — the tool left out when a required argument
 * needs it, the argument left out when it is optional. Every reduced schema builds both grammars.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildActionSchema } from '../../src/model/action-schema.ts';
import { buildTextGrammar } from '../../src/model/text-grammar.ts';
import { grammarStrictSchema } from '../../src/agent/tool-call.ts';
import { Ajv } from 'ajv';
import { dropNulls, reduceInputSchema } from '../../src/mcp/input-schema.ts';
import { mcpToolName } from '../../src/mcp/mcp-tool.ts';

function reduced(input: unknown) {
  const r = reduceInputSchema(input);
  assert.ok(r.ok, `expressible: ${JSON.stringify(input)} (${'reason' in r ? r.reason : ''})`);
  // both grammars take it, and the validator the agent checks args with compiles
  buildTextGrammar([{ name: 't', schema: r.schema }]);
  buildActionSchema([{ name: 't', schema: r.schema }]);
  new Ajv({ strict: false }).compile(grammarStrictSchema(r.schema) as object);
  return r;
}

test('required stays as it is; optional becomes nullable; bounds, patterns and defaults move into the description', () => {
  const r = reduced({
    type: 'object',
    properties: {
      path: { type: 'string', description: 'The file.\n  Relative to the root.', minLength: 1, maxLength: 200, pattern: '^[^/]' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
      mode: { type: 'string', enum: ['fast', 'full'] },
      flag: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 5, uniqueItems: true },
      when: { type: 'string', format: 'date-time' },
    },
    required: ['path'],
    additionalProperties: false,
    $schema: 'http://json-schema.org/draft-07/schema#',
  });
  assert.deepEqual(r.schema, {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, maxLength: 200, description: 'The file. Relative to the root (matching /^[^/]/)' },
      limit: { type: ['integer', 'null'], description: '(at least 1, at most 100, default 10)' },
      mode: { enum: ['fast', 'full', null] },
      flag: { type: ['boolean', 'null'] },
      tags: { oneOf: [{ type: 'array', items: { type: 'string' }, maxItems: 5 }, { type: 'null' }], description: '(no duplicates)' },
      when: { type: ['string', 'null'], description: '(format date-time)' },
    },
  });
  assert.deepEqual(r.dropped, []);
});

test('no properties, or {type: "object"} alone, is a tool without arguments', () => {
  assert.deepEqual(reduced({ type: 'object' }).schema, { type: 'object', properties: {} });
  assert.deepEqual(reduced({ type: 'object', properties: {} }).schema, { type: 'object', properties: {} });
});

test('zod-style nullable unions, type arrays and OpenAPI nullable become one union without repeats', () => {
  const r = reduced({
    type: 'object',
    properties: {
      a: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      b: { type: ['string', 'number'] },
      c: { type: 'string', nullable: true },
      d: { anyOf: [{ type: 'string' }, { type: 'string' }, { type: 'integer' }] },
    },
    required: ['a', 'b', 'c', 'd'],
  });
  assert.deepEqual(r.schema.properties, {
    a: { oneOf: [{ type: 'string' }, { type: 'null' }] },
    b: { type: ['string', 'number'] },
    c: { type: ['string', 'null'] },
    d: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  });
});

test('local $refs are followed; a single allOf is merged; nested objects keep their own optional arguments', () => {
  const r = reduced({
    type: 'object',
    properties: { where: { $ref: '#/$defs/place', description: 'Where to look.' }, extra: { allOf: [{ type: 'string' }] } },
    required: ['where', 'extra'],
    $defs: { place: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } }, required: ['city'] } },
  });
  assert.deepEqual(r.schema.properties, {
    where: { type: 'object', properties: { city: { type: 'string' }, zip: { type: ['string', 'null'] } }, description: 'Where to look' },
    extra: { type: 'string' },
  });
});

test('what the grammar cannot write leaves the tool out when required, and only the argument out when optional', () => {
  const recursive = { $defs: { node: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['kids'] } } };
  const refused: Array<[unknown, RegExp]> = [
    [
      { type: 'object', properties: { node: { $ref: '#/$defs/node' } }, required: ['node'], ...recursive },
      /argument "node.kids\[\]" is recursive \(\$ref #\/\$defs\/node\)/,
    ],
    [
      { type: 'object', properties: { env: { type: 'object', additionalProperties: { type: 'string' } } }, required: ['env'] },
      /argument "env" is a map of free names \(additionalProperties\)/,
    ],
    [
      { type: 'object', properties: { env: { type: 'object', patternProperties: { '^X': { type: 'string' } } } }, required: ['env'] },
      /argument "env" is a map of free names \(patternProperties\)/,
    ],
    [{ type: 'object', additionalProperties: { type: 'string' } }, /the input is a map of free names/],
    [{ type: 'object', properties: { v: {} }, required: ['v'] }, /argument "v" accepts any value/],
    [{ type: 'object', properties: { v: { type: 'array' } }, required: ['v'] }, /argument "v" is a list of any values/],
    [{ type: 'object', properties: { v: { type: 'array', items: [{ type: 'string' }] } }, required: ['v'] }, /argument "v" is a tuple/],
    [{ type: 'object', properties: { v: { not: { type: 'string' } } }, required: ['v'] }, /argument "v" uses "not"/],
    [{ type: 'object', properties: { v: { allOf: [{ type: 'string' }, { maxLength: 3 }] } }, required: ['v'] }, /argument "v" uses "allOf"/],
    [{ type: 'object', properties: { v: { $ref: 'https://example.com/s.json' } }, required: ['v'] }, /refers to another document/],
    [{ type: 'object', properties: { v: { enum: [{ a: 1 }] } }, required: ['v'] }, /enum of values other than/],
    [{ type: 'string' }, /not an object schema/],
  ];
  for (const [schema, reason] of refused) {
    const r = reduceInputSchema(schema);
    assert.ok(!r.ok, JSON.stringify(schema));
    assert.match(r.reason, reason);
  }
  const optional = reduced({
    type: 'object',
    properties: { q: { type: 'string' }, env: { type: 'object', additionalProperties: true }, node: { $ref: '#/$defs/node' } },
    required: ['q'],
    ...recursive,
  });
  assert.deepEqual(optional.schema.properties, { q: { type: 'string' } });
  assert.deepEqual(optional.dropped, [
    'optional argument "env" (argument "env" is a map of free names (additionalProperties))',
    'optional argument "node" (argument "node.kids[]" is recursive ($ref #/$defs/node))',
  ]);
});

test('a union keeps the choices the grammar can write', () => {
  const r = reduced({ type: 'object', properties: { v: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }] } }, required: ['v'] });
  assert.deepEqual(r.schema.properties, { v: { type: 'string' } });
});

test('nulls of optional arguments are dropped before the call, at any depth; a required null stays', () => {
  const r = reduced({
    type: 'object',
    properties: {
      q: { type: ['string', 'null'] },
      limit: { type: 'integer' },
      items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, note: { type: 'string' } }, required: ['id'] } },
      choice: { anyOf: [{ type: 'object', properties: { x: { type: 'integer' } } }, { type: 'string' }] },
    },
    required: ['q', 'items', 'choice'],
  });
  assert.deepEqual(
    dropNulls(
      {
        q: null,
        limit: null,
        items: [
          { id: 'a', note: null },
          { id: 'b', note: 'n' },
        ],
        choice: { x: null },
      },
      r.shape,
    ),
    {
      q: null,
      items: [{ id: 'a' }, { id: 'b', note: 'n' }],
      choice: {},
    },
  );
});

test('tool names are server__tool in grammar-safe characters', () => {
  assert.equal(mcpToolName('demo', 'echo'), 'demo__echo');
  assert.equal(mcpToolName('my server.v2', 'read/file'), 'my_server_v2__read_file');
  assert.equal(mcpToolName('ünï', '*'), 'n__x');
  assert.equal(mcpToolName('s'.repeat(50), 't'.repeat(50)).length, 64);
});
