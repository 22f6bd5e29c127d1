import type { GbnfJsonObjectSchema, GbnfJsonSchema } from 'node-llama-cpp';
import { grammarSafeSchema } from './grammar-safe-schema.ts';

/** The tool name reserved for the reply that ends a turn. */
export const ANSWER_TOOL = 'answer';

/** The `thought` string's length bound unless the options set one (keeps small models from rambling). */
export const defaultMaxThoughtLength = 600;

export interface ActionSchemaOptions {
  /** Max length of the `thought` string (keeps small models from rambling). */
  maxThoughtLength?: number;
  /** Max length of the answer text. */
  maxAnswerLength?: number;
  /** Leave `answer` out (a step right after an answer was sent back acts first); ignored when `tools` is empty. */
  noAnswer?: boolean;
}

/**
 * The union of every tool's schema plus `answer`: one object per tool,
 * `{thought, tool: <const name>, args: <tool schema>}`. This one schema becomes the GBNF grammar
 * (embedded) and the JSON-schema response format (openai). Tool schemas pass through
 * `grammarSafeSchema` first, so every constraint a tool declares is one the grammar enforces.
 */
export function buildActionSchema(tools: ReadonlyArray<{ name: string; schema: GbnfJsonObjectSchema }>, options: ActionSchemaOptions = {}): GbnfJsonSchema {
  const thought = { type: 'string', maxLength: options.maxThoughtLength ?? defaultMaxThoughtLength } as const;
  const answer = {
    type: 'object',
    properties: {
      thought,
      tool: { const: ANSWER_TOOL },
      args: { type: 'object', properties: { text: { type: 'string', maxLength: options.maxAnswerLength ?? 4000 } } },
    },
  } as const;
  const variants = tools.map((tool) => ({
    type: 'object',
    properties: { thought, tool: { const: tool.name }, args: grammarSafeSchema(tool.schema) },
  })) as GbnfJsonSchema[];
  return { oneOf: options.noAnswer && variants.length > 0 ? variants : [...variants, answer] } as GbnfJsonSchema;
}
