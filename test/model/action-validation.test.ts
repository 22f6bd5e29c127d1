import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { buildActionSchema } from '../../src/model/action-schema.ts';
import { actionFault, validateAction } from '../../src/model/action-shape.ts';

const schema = buildActionSchema([{ name: 'read_file', schema: { type: 'object', properties: { path: { type: 'string', maxLength: 20 } } } }], {
  maxThoughtLength: 10,
});
const validate = new Ajv({ strict: false }).compile(schema as object);

test('an overlong thought is cut to its limit when nothing else is wrong', () => {
  // Invalid UTF-8 from a model decodes to one U+FFFD per byte: longer in JavaScript than in the grammar.
  const action = { thought: 'ab\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDcd', tool: 'read_file', args: { path: 'a.py' } };
  assert.equal(validateAction(validate, action), true);
  assert.equal(Array.from(action.thought).length, 10);
});

test('any other fault still fails, with the thought and the errors left as they were', () => {
  const long = 'x'.repeat(30);
  const action = { thought: long, tool: 'read_file', args: { path: 'p'.repeat(40) } };
  assert.equal(validateAction(validate, action), false);
  assert.equal(action.thought, long);
  assert.ok(validate.errors?.some((e) => e.instancePath === '/thought'));
  assert.equal(validateAction(validate, { thought: 'ok', tool: 'nope', args: {} }), false);
});

test('the fault reported is the one in the branch of the tool the model chose', () => {
  const action = { thought: 'ok', tool: 'read_file', args: { path: 'p'.repeat(40) } };
  assert.equal(validateAction(validate, action), false);
  const fault = actionFault(validate, action);
  assert.equal(fault?.instancePath, '/args/path');
  assert.equal(fault?.keyword, 'maxLength');
});
