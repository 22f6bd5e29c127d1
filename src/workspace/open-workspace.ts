/** `openWorkspace`: the workspace every session and tool uses. */
import { FileWorkspace } from './file-workspace.ts';
import type { Workspace } from './workspace.ts';

/**
 * Opens the project at `root` (an existing directory) as a Workspace. First a change set a crash
 * interrupted between its renames is finished or undone as one set (the message is in
 * `notices()`), then the temp files a crashed apply left are removed.
 */
export function openWorkspace(root: string): Workspace {
  const workspace = new FileWorkspace(root);
  workspace.recoverInterrupted();
  workspace.removeCrashLeftovers();
  return workspace;
}
