/**
 * The registry of built-in tools. One declaration per tool; the action schema and the grammar
 * snapshot are generated from this list.
 */
import type { Tool } from './tool.ts';

export const builtinTools: Tool<any>[] = [
  // Each part adds its tools here, in this order: workspace, index, sandbox.
];

export function readOnlyTools(): Tool<any>[] {
  return builtinTools.filter((t) => t.readOnly);
}
