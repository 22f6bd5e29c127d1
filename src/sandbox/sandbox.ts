/**
 * The sandbox as tools see it: where untrusted code runs.
 */
import type { WorkspaceSnapshot } from '../workspace/workspace.ts';

export type SandboxKind = 'docker' | 'bwrap' | 'none';

export interface RunRequest {
  /** A shell command (run with `sh -c` in the work directory), or `code` + `language`. */
  command?: string;
  code?: string;
  language?: string;
  /** The workspace as the run should see it (disk + pending changes). Absent: an empty work dir. */
  files?: WorkspaceSnapshot;
  timeoutMs?: number;
  memoryMb?: number;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Output was longer than the limit and was cut (with a note in the text). */
  truncated: boolean;
  durationMs: number;
  /** The command actually run (for `code`+`language`, the generated one). */
  command: string;
}

export interface Sandbox {
  readonly kind: SandboxKind;
  /** One line for the banner and `assist sandbox status`. */
  describe(): string;
  run(request: RunRequest, signal?: AbortSignal): Promise<RunResult>;
  /** Removes containers and temp dirs. Safe to call twice. */
  dispose(): Promise<void>;
}
