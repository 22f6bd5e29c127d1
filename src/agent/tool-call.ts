/**
 * Checks a model action against the tool set before anything runs: the tool must exist and its
 * args must validate against the tool's schema (ajv). Problems become observations the model can
 * act on, never exceptions.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { toolError, type Tool, type ToolContext, type ToolResult } from '../../tools/tool.ts';
import type { Action } from '../model/language-model.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<object, ValidateFunction>();

/**
 * The schema as the grammar reads it: every object property is required and nothing else is
 * allowed (GbnfJsonSchema semantics), so a hand-written or HTTP-backend action is held to the same
 * shape the embedded engine can produce.
 */
export function grammarStrictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(grammarStrictSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, grammarStrictSchema(v)]));
    } else if (key === 'const' || key === 'enum') {
      out[key] = value;
    } else {
      out[key] = grammarStrictSchema(value);
    }
  }
  if (out.properties && typeof out.properties === 'object') {
    out.required ??= Object.keys(out.properties);
    out.additionalProperties ??= false;
  }
  return out;
}

function validatorFor(tool: Tool<any>): ValidateFunction {
  let validate = validators.get(tool.schema);
  if (!validate) {
    validate = ajv.compile(grammarStrictSchema(tool.schema) as object);
    validators.set(tool.schema, validate);
  }
  return validate;
}

function describeErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map((e) => {
      const where = e.instancePath ? `"${e.instancePath.slice(1).replaceAll('/', '.')}"` : 'args';
      if (e.keyword === 'required') return `missing "${(e.params as { missingProperty: string }).missingProperty}" (use null if you do not need it)`;
      if (e.keyword === 'additionalProperties') return `unknown argument "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      return `${where} ${e.message}`;
    })
    .join('; ');
}

/** The tool an action names with its validated args, or the observation explaining why not. */
export function resolveToolCall(action: Action, tools: ReadonlyArray<Tool<any>>): { tool: Tool<any>; args: Record<string, unknown> } | { error: ToolResult } {
  const tool = tools.find((t) => t.name === action.tool);
  if (!tool) {
    const names = [...tools.map((t) => t.name), 'answer'].join(', ');
    return { error: toolError('invalid_args', `There is no tool "${action.tool}". Use one of: ${names}.`) };
  }
  const args = action.args && typeof action.args === 'object' ? action.args : {};
  const validate = validatorFor(tool);
  if (!validate(args)) {
    return { error: toolError('invalid_args', `Invalid args for ${tool.name}: ${describeErrors(validate.errors ?? [])}.`) };
  }
  return { tool, args };
}

/** Runs a tool, turning a thrown exception (a tool bug) into a `failed` result. */
export async function executeTool(tool: Tool<any>, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
  if (ctx.signal.aborted) return toolError('aborted', 'The turn was cancelled before the tool ran.');
  try {
    const result = await tool.execute(args, ctx);
    if (!result || typeof result.forModel !== 'string') return toolError('failed', `${tool.name} returned no result.`);
    return result;
  } catch (error) {
    if (ctx.signal.aborted) return toolError('aborted', 'The turn was cancelled while the tool ran.');
    return toolError('failed', `${tool.name} failed unexpectedly: ${(error as Error)?.message ?? String(error)}`);
  }
}
