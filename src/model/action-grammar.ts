/**
 * The action grammar: node-llama-cpp's GBNF for the action schema, hardened where its JSON number
 * rules let a model write values JavaScript cannot hold (an integer such as `7e98236` parses as
 * Infinity and `12e-5` is not an integer), and validated after generation with ajv against the
 * same schema. The text is also what `grammars/actions.gbnf` snapshots.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { GbnfJsonSchema, Llama, LlamaGrammar } from 'node-llama-cpp';
import { checkActionShape } from './action-shape.ts';
import { ModelError, type Action } from './language-model.ts';

const EXPONENT = '([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?';

/**
 * Integers get no exponent and at most 15 digits (always safe integers); other numbers keep an
 * exponent of at most two digits.
 */
export function hardenJsonGrammar(gbnf: string): string {
  return gbnf
    .split('\n')
    .map((line) => {
      if (!line.startsWith('integer-number-rule ::=')) return line.replaceAll(EXPONENT, '([eE] [-+]? [0-9]{1,2})?');
      return line.replaceAll(` ${EXPONENT}`, '').replaceAll(EXPONENT, '').replaceAll('[1-9] [0-9]{0,15}', '[1-9] [0-9]{0,14}');
    })
    .join('\n');
}

/** The GBNF text used for `schema` (node-llama-cpp's, hardened). */
export async function actionGbnf(llama: Llama, schema: GbnfJsonSchema): Promise<string> {
  const create = (llama as unknown as { createGrammarForJsonSchema(s: unknown): Promise<LlamaGrammar> }).createGrammarForJsonSchema;
  const base = await create.call(llama, schema);
  return hardenJsonGrammar(base.grammar);
}

/** A compiled action grammar and the validator of its schema. */
export interface ActionGrammar {
  grammar: LlamaGrammar;
  validate: ValidateFunction;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });

/** A validator for an action schema (JSON schema semantics). */
export function compileActionValidator(schema: GbnfJsonSchema): ValidateFunction {
  return ajv.compile(schema as object);
}

/** Compiles the grammar for `schema` on `llama`. */
export async function createActionGrammar(llama: Llama, schema: GbnfJsonSchema): Promise<ActionGrammar> {
  const create = (llama as unknown as { createGrammarForJsonSchema(s: unknown): Promise<LlamaGrammar> }).createGrammarForJsonSchema;
  const base = await create.call(llama, schema);
  const grammar = await llama.createGrammar({
    grammar: hardenJsonGrammar(base.grammar),
    stopGenerationTriggers: base.stopGenerationTriggers,
    trimWhitespaceSuffix: base.trimWhitespaceSuffix,
  });
  return { grammar, validate: compileActionValidator(schema) };
}

/** Parses generated text and validates it against the schema; ModelError('invalid_output') if not. */
export function parseActionText(validate: ValidateFunction, raw: string): Action {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ModelError('invalid_output', `The model's output is not JSON: ${raw.slice(0, 200)}`, { cause: error });
  }
  if (!validate(value)) {
    const e = validate.errors?.[0];
    throw new ModelError('invalid_output', `The model's action does not match the schema at ${e?.instancePath || '(top)'}: ${e?.message}. Output: ${raw.slice(0, 200)}`);
  }
  return checkActionShape(value, raw);
}
