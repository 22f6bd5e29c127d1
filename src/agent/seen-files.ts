/**
 * What the model has seen of the project in a session, and what it created or deleted: the
 * knowledge behind the text protocol's workspace-aware grammar (a path must exist, an edit's
 * SEARCH lines must come from a file the model has seen) and behind write_file's refusal to
 * replace a file the model never read.
 */
import type { RepoIndex } from '../index/repo-index.ts';
import type { WorkspaceView } from '../model/text-grammar.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ToolResult } from '../../tools/tool.ts';

export class SeenFiles {
  /** Files whose current text the model has seen (read, or written by it). */
  private readonly seen = new Set<string>();
  /** Files the model created or deleted since the index last listed the project. */
  private readonly touched = new Map<string, 'written' | 'deleted'>();

  /** `pinned`: files always in the prompt (/add), so always seen. */
  constructor(private readonly pinned: () => readonly string[]) {}

  has(file: string): boolean {
    return this.seen.has(file) || this.pinned().includes(file);
  }

  /** Every file seen, in the order first seen (pinned files after). */
  list(): string[] {
    return [...new Set([...this.seen, ...this.pinned()])];
  }

  /** Puts a file seen last in the order, as if seen just now (code completion reads it nearest the gap). */
  again(file: string): void {
    if (!this.seen.delete(file)) return;
    this.seen.add(file);
  }

  /** Records what an observation showed the model (reads) and changed (writes and deletes). */
  note(observation: ToolResult): void {
    for (const file of observation.seen ?? []) this.seen.add(file);
    if (observation.error || !observation.edit) return;
    for (const file of observation.edit.applied) {
      const deleted = observation.edit.deleted.includes(file);
      this.touched.set(file, deleted ? 'deleted' : 'written');
      if (deleted) this.seen.delete(file);
      else this.seen.add(file);
    }
  }

  /**
   * What the grammar may know of the project now: its files (the index's list, with what this
   * session created or deleted since) and the current text of every file the model has seen.
   */
  async view(workspace: Workspace, index: RepoIndex | undefined): Promise<WorkspaceView> {
    const seen = new Map<string, string>();
    for (const file of new Set([...this.seen, ...this.pinned()])) {
      try {
        seen.set(file, await workspace.readText(file));
      } catch {
        this.seen.delete(file); // gone or unreadable: no longer an anchor
      }
    }
    if (!index) return { seen };
    let listed: string[];
    try {
      listed = index.files();
    } catch {
      return { seen };
    }
    const files = new Set(listed);
    for (const [file, state] of this.touched) {
      if (state === 'deleted') files.delete(file);
      else files.add(file);
    }
    return { files: [...files], seen };
  }
}
