/**
 * The order and the subsets in which tools are offered to the model. The order is the usual
 * workflow (create or read a file, change it, run it, then look around), so the tool a small
 * model sees first in the list is the one a "write a program" task needs first; it is also the
 * order of the alternatives in the action schema.
 */

/** Built-in tool names in the order they are described to the model. Others follow, in their own order. */
export const preferredToolOrder = [
  'write_file',
  'read_file',
  'edit_file',
  'run_in_sandbox',
  'run_tests',
  'list_files',
  'search_code',
  'find_symbol',
  'outline',
  'edit_files',
  'delete_file',
] as const;

/**
 * The tools `assist run` offers: what "write code, run it, fix it" needs and nothing more
 * (fewer choices help small models, and the grammar is smaller).
 */
export const oneShotToolNames: ReadonlySet<string> = new Set(['write_file', 'edit_file', 'read_file', 'list_files', 'run_in_sandbox', 'run_tests']);

/** `tools` sorted by `preferredToolOrder` (a stable sort: unknown tools keep their order, after the known ones). */
export function orderTools<T extends { name: string }>(tools: readonly T[]): T[] {
  const rank = (name: string) => {
    const i = (preferredToolOrder as readonly string[]).indexOf(name);
    return i < 0 ? preferredToolOrder.length : i;
  };
  return tools.map((tool, i) => ({ tool, i })).sort((a, b) => rank(a.tool.name) - rank(b.tool.name) || a.i - b.i).map((e) => e.tool);
}
