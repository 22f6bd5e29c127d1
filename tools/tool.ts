import type { GbnfJsonObjectSchema, GbnfJsonSchemaToType } from 'node-llama-cpp';
import type { Config } from '../src/config/schema.ts';
import type { ApprovalAnswer, ApprovalRequest } from '../src/workspace/approval.ts';
import type { Workspace } from '../src/workspace/workspace.ts';
import type { RepoIndex } from '../src/index/repo-index.ts';
import type { Sandbox } from '../src/sandbox/sandbox.ts';

/**
 * Closed set of error codes a tool may report. The model sees the message; the agent and tests
 * branch on the code.
 */
export const toolErrorCodes = [
  'invalid_args', // args did not validate against the schema
  'not_found', // a path or symbol does not exist
  'outside_root', // a path escapes the project root or touches .git/
  'binary', // a file is not text
  'no_match', // an edit anchor was not found
  'ambiguous', // an edit anchor was found more than once
  'stale', // the file changed on disk after the model read it
  'rejected', // the user declined the change or the run
  'aborted', // the turn was cancelled (Ctrl-C)
  'timeout', // a run or step ran out of time
  'unavailable', // a needed component (sandbox, index) is not available
  'disk_full', // the disk had no room: nothing was written
  'failed', // anything else; the message says what
] as const;
export type ToolErrorCode = (typeof toolErrorCodes)[number];

/** What a tool returns: data, never an exception. */
export interface ToolResult {
  /** Text the model reads as the observation. */
  forModel: string;
  /** Shorter or richer text for the person at the terminal (defaults to `forModel`). */
  forUser?: string;
  error?: { code: ToolErrorCode; message: string };
  /** A sandboxed run's outcome; the agent counts failed runs as attempts. */
  run?: { exitCode: number | null; timedOut: boolean; command: string; code?: string; language?: string; stdout: string; stderr: string; durationMs: number };
}

/** Everything a tool may use. Built by the agent once per turn. */
export interface ToolContext {
  root: string;
  config: Config;
  workspace: Workspace;
  /** Absent while indexing is disabled or has not finished. */
  index?: RepoIndex;
  /** Absent when no sandbox backend is available; run tools then report `unavailable`. */
  sandbox?: Sandbox;
  signal: AbortSignal;
  /** Asks (or not, per the approval mode) whether a change or a run may go ahead. */
  approve(request: ApprovalRequest): Promise<ApprovalAnswer>;
}

/** A tool as the registry holds it. `schema` is within node-llama-cpp's GbnfJsonSchema subset. */
export interface Tool<S extends GbnfJsonObjectSchema = GbnfJsonObjectSchema> {
  name: string;
  description: string;
  schema: S;
  /** Read-only tools never change files and never run code; `assist ask` only offers these. */
  readOnly: boolean;
  execute(args: GbnfJsonSchemaToType<S>, ctx: ToolContext): Promise<ToolResult>;
}

/**
 * Declares a tool. All object properties are required by the grammar; optional arguments are
 * written as nullable (`type: ['integer', 'null']`) and arrive as `null` when not given.
 */
export function defineTool<const S extends GbnfJsonObjectSchema>(tool: Tool<S>): Tool<S> {
  return tool;
}

/** A failed result with a message written for the model. */
export function toolError(code: ToolErrorCode, message: string): ToolResult {
  return { forModel: `Error (${code}): ${message}`, error: { code, message } };
}
