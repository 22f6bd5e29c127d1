/** The shape check shared by every backend after its output parsed as JSON. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ModelError, type Action } from './language-model.ts';

/** Checks the `{thought, tool, args}` shape every action has. */
export function checkActionShape(value: unknown, raw: string): Action {
  const v = value as Partial<Action> | null;
  if (!v || typeof v !== 'object' || typeof v.tool !== 'string' || typeof v.args !== 'object' || v.args === null) {
    throw new ModelError('invalid_output', `The model's output is not an action {thought, tool, args}: ${raw.slice(0, 200)}`);
  }
  return { thought: typeof v.thought === 'string' ? v.thought : '', tool: v.tool, args: v.args as Record<string, unknown> };
}

/**
 * Validates a parsed action; when the only fault is a `thought` longer than its limit, cuts the
 * thought to the limit and validates again. The thought is for display; the grammar bounds it in
 * code points of valid UTF-8, so a model's invalid byte run (one U+FFFD per byte in JavaScript)
 * can overrun the JavaScript length without anything else being wrong.
 */
export function validateAction(validate: ValidateFunction, value: unknown): boolean {
  if (validate(value)) return true;
  const overlong = (validate.errors ?? []).find((e) => e.instancePath === '/thought' && e.keyword === 'maxLength');
  const action = value as { thought?: unknown } | null;
  if (!overlong || !action || typeof action !== 'object' || typeof action.thought !== 'string') return false;
  const errors = validate.errors;
  const thought = action.thought;
  action.thought = Array.from(thought)
    .slice(0, Number((overlong.params as { limit?: number }).limit))
    .join('');
  if (validate(value)) return true;
  action.thought = thought;
  validate.errors = errors;
  return false;
}

/**
 * The schema fault to report for a failed action: ajv lists the faults of every `oneOf` branch,
 * so the first is usually "tool must be equal to constant" of another tool; the useful one is in
 * the branch of the tool the model chose.
 */
export function actionFault(validate: ValidateFunction, value: unknown): ErrorObject | undefined {
  const errors = validate.errors ?? [];
  const tool = (value as { tool?: unknown } | null)?.tool;
  const branches = (validate.schema as { oneOf?: Array<{ properties?: { tool?: { const?: unknown } } }> }).oneOf;
  const index = branches?.findIndex((b) => b.properties?.tool?.const === tool) ?? -1;
  return (index >= 0 ? errors.find((e) => e.schemaPath.startsWith(`#/oneOf/${index}/`)) : undefined) ?? errors[0];
}
