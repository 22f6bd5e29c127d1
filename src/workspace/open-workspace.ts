/** `openWorkspace`: the workspace every session and tool uses. */
import { FileWorkspace } from './file-workspace.ts';
import type { Workspace } from './workspace.ts';

/** Opens the project at `root` (an existing directory) as a Workspace. */
export function openWorkspace(root: string): Workspace {
  return new FileWorkspace(root);
}
