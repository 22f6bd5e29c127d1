import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grammarSafeSchema } from '../../src/model/grammar-safe-schema.ts';
import { executeTool, resolveToolCall } from '../../src/agent/tool-call.ts';
import { defineTool, type ToolContext } from '../../tools/tool.ts';
import { builtinTools } from '../../tools/index.ts';

test('a nullable constrained type becomes oneOf, so the grammar enforces the constraint', () => {
  const schema = {
    type: 'object',
    properties: {
      glob: { type: ['string', 'null'], maxLength: 200, description: 'a glob' },
      n: { type: ['integer', 'null'] },
      mode: { enum: ['a', 'b', null] },
      items: { type: 'array', items: { type: 'object', properties: { text: { type: ['string', 'null'], maxLength: 5 } } } },
    },
  } as const;
  assert.deepEqual(grammarSafeSchema(schema), {
    type: 'object',
    properties: {
      glob: { description: 'a glob', oneOf: [{ type: 'string', maxLength: 200 }, { type: 'null' }] },
      n: { type: ['integer', 'null'] },
      mode: { enum: ['a', 'b', null] },
      items: { type: 'array', items: { type: 'object', properties: { text: { oneOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] } } } },
    },
  });
  for (const tool of builtinTools) {
    const text = JSON.stringify(grammarSafeSchema(tool.schema));
    assert.doesNotMatch(
      text,
      /"type":\[[^\]]*\],"(maxLength|minLength|minimum|maximum|items|maxItems)"/,
      `${tool.name} keeps a constraint the grammar would drop`,
    );
  }
});

test('args are checked as the grammar reads the schema: every property required, nothing extra', async () => {
  const echo = defineTool({
    name: 'echo',
    description: 'echo',
    effect: 'read',
    order: 1,
    schema: { type: 'object', properties: { text: { type: 'string', maxLength: 10 }, times: { type: ['integer', 'null'] } } },
    async execute(args) {
      return { forModel: args.text.repeat(args.times ?? 1) };
    },
  });
  const bad = (args: Record<string, unknown>) => {
    const r = resolveToolCall({ thought: '', tool: 'echo', args }, [echo]);
    assert.ok('error' in r);
    return r.error.forModel;
  };
  assert.match(bad({ text: 'hi' }), /missing "times" \(use null/);
  assert.match(bad({ text: 'hi', times: null, loud: true }), /unknown argument "loud"/);
  assert.match(bad({ text: 'x'.repeat(11), times: null }), /"text" must NOT have more than 10 characters/);
  const ok = resolveToolCall({ thought: '', tool: 'echo', args: { text: 'hi', times: 2 } }, [echo]);
  assert.ok(!('error' in ok));
  const thrower = defineTool({
    name: 'boom',
    description: '',
    effect: 'read',
    order: 1,
    schema: { type: 'object', properties: {} },
    async execute() {
      throw new Error('bug in tool');
    },
  });
  const result = await executeTool(thrower, {}, { signal: new AbortController().signal } as ToolContext);
  assert.equal(result.error?.code, 'failed');
  assert.match(result.forModel, /bug in tool/);
});
