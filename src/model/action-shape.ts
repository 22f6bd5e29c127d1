/** The shape check shared by every backend after its output parsed as JSON. */
import { ModelError, type Action } from './language-model.ts';

/** Checks the `{thought, tool, args}` shape every action has. */
export function checkActionShape(value: unknown, raw: string): Action {
  const v = value as Partial<Action> | null;
  if (!v || typeof v !== 'object' || typeof v.tool !== 'string' || typeof v.args !== 'object' || v.args === null) {
    throw new ModelError('invalid_output', `The model's output is not an action {thought, tool, args}: ${raw.slice(0, 200)}`);
  }
  return { thought: typeof v.thought === 'string' ? v.thought : '', tool: v.tool, args: v.args as Record<string, unknown> };
}
