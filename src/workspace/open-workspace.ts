/** `openWorkspace`: the workspace every session and tool uses. */
import { FileWorkspace } from './file-workspace.ts';
import type { Workspace } from './workspace.ts';

/** Opens the project at `root` (an existing directory) as a Workspace, first removing what a crashed apply left. */
export function openWorkspace(root: string): Workspace {
  const workspace = new FileWorkspace(root);
  workspace.removeCrashLeftovers();
  return workspace;
}
