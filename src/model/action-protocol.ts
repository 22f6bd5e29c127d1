/**
 * How the model writes its actions, one of two protocols with the same actions:
 *
 * - `json`: the whole action is one JSON object, constrained by the JSON schema of the action
 *   union (node-llama-cpp's schema grammar, or an HTTP server's JSON-schema support);
 * - `text`: a JSON header line, then code as raw blocks (action-text.ts), constrained by a GBNF
 *   grammar that also knows the workspace (text-grammar.ts): real paths, real lines to edit.
 *
 * The agent renders the conversation's past actions with `render`, so the model always reads
 * its own earlier steps in the protocol it writes.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { buildActionSchema, type ActionSchemaOptions } from './action-schema.ts';
import { earlyStop, lineLoop, parseTextAction, renderTextAction } from './action-text.ts';
import type { Action, NextOptions } from './language-model.ts';
import { buildTextGrammar, type GrammarTool, type WorkspaceView } from './text-grammar.ts';

export const actionFormats = ['text', 'json'] as const;
export type ActionFormat = (typeof actionFormats)[number];

/** The constraint of one model step: the action schema, and for `text` the grammar and the reader. */
export interface StepConstraint {
  schema: GbnfJsonSchema;
  text?: NonNullable<NextOptions['text']>;
}

export interface ActionProtocol {
  readonly format: ActionFormat;
  /** The text the model writes for `action` (the history and examples show it this way). */
  render(action: Action): string;
  /** The constraint of a step that offers `tools` (an empty list: only `answer`), and `answer` unless `noAnswer`. */
  constrain(tools: ReadonlyArray<GrammarTool>, workspace?: WorkspaceView, options?: { noAnswer?: boolean }): StepConstraint;
}

/** The protocol for `format`; `schemaOptions` bound the action's own strings (thought, answer). */
export function actionProtocol(format: ActionFormat, allTools: ReadonlyArray<GrammarTool>, schemaOptions: ActionSchemaOptions = {}): ActionProtocol {
  const schemas = new Map<string, GbnfJsonSchema>();
  const schemaFor = (tools: ReadonlyArray<GrammarTool>, noAnswer = false): GbnfJsonSchema => {
    const key = `${tools.map((t) => t.name).join(',')}${noAnswer ? ' -answer' : ''}`;
    let schema = schemas.get(key);
    if (!schema) {
      schema = buildActionSchema(tools, { ...schemaOptions, noAnswer });
      schemas.set(key, schema);
    }
    return schema;
  };
  switch (format) {
    case 'json':
      return {
        format,
        render: (action) => JSON.stringify(action),
        constrain: (tools, _workspace, options) => ({ schema: schemaFor(tools, options?.noAnswer) }),
      };
    case 'text':
      return {
        format,
        render: (action) => renderTextAction(action, allTools),
        constrain: (tools, workspace, options) => ({
          schema: schemaFor(tools, options?.noAnswer),
          text: {
            grammar: buildTextGrammar(tools, { ...schemaOptions, ...(workspace ? { workspace } : {}), ...(options?.noAnswer ? { noAnswer: true } : {}) }),
            parse: (raw) => parseTextAction(raw, allTools),
            stopEarly: earlyStop(allTools),
            loops: lineLoop,
          },
        }),
      };
    default:
      return format satisfies never;
  }
}
