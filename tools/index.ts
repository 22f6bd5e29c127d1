/**
 * The registry of built-in tools. One declaration per tool; the action schema and the grammar
 * snapshot are generated from this list.
 */
import type { Tool } from './tool.ts';
import { readFileTool } from './read_file.ts';
import { listFilesTool } from './list_files.ts';
import { searchCodeTool } from './search_code.ts';
import { writeFileTool } from './write_file.ts';
import { editFileTool } from './edit_file.ts';
import { editFilesTool } from './edit_files.ts';
import { deleteFileTool } from './delete_file.ts';
import { findSymbolTool } from './find_symbol.ts';
import { outlineTool } from './outline.ts';
import { moveSymbolTool } from './move_symbol.ts';
import { renameSymbolTool } from './rename_symbol.ts';
import { runInSandboxTool } from './run_in_sandbox.ts';
import { runTestsTool } from './run_tests.ts';

export const builtinTools: Tool<any>[] = [
  // Each part adds its tools here, in this order: workspace, index, sandbox. The model reads them in `order`.
  readFileTool,
  listFilesTool,
  searchCodeTool,
  writeFileTool,
  editFileTool,
  editFilesTool,
  deleteFileTool,
  findSymbolTool,
  outlineTool,
  renameSymbolTool,
  moveSymbolTool,
  runInSandboxTool,
  runTestsTool,
];
