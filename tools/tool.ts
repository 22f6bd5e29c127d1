import type { GbnfJsonObjectSchema, GbnfJsonSchemaToType } from 'node-llama-cpp';
import type { Config } from '../src/config/schema.ts';
import type { ApprovalAnswer, ApprovalRequest, FileChange } from '../src/workspace/approval.ts';
import type { Workspace } from '../src/workspace/workspace.ts';
import type { RepoIndex } from '../src/index/repo-index.ts';
import type { Sandbox } from '../src/sandbox/sandbox.ts';
import type { TextForm } from '../src/model/action-text.ts';
import type { DoubtRequest, InfillRequest, LineDoubt } from '../src/model/language-model.ts';

/**
 * A code completion's settings for try `seed`: 0 the most usual text (greedy), above it a sample,
 * warm enough that seeds differ, cool enough to stay on the code's lines.
 */
export function sampling(seed: number): Pick<InfillRequest, 'temperature' | 'seed'> {
  return seed ? { temperature: 0.7, seed } : {};
}

/** What a tool asks of the model's fill-in-the-middle; the agent adds the context files, the signal and a time limit. */
export type InfillAsk = Omit<InfillRequest, 'files' | 'signal'> & {
  /** Tokens of the project's files and the gap's own text together, in place of the usual 3,072: for text written from code the model must read first. */
  contextTokens?: number;
  /** The project's test files left out of what the model reads first: a try before copied them (src/agent/completion/copied-tests.ts). */
  withoutTests?: boolean;
  /**
   * The middle is code (a body, a script's lines): lines that copy the comments put above the gap
   * (the request, notes) end it (src/text/comment-prose.ts addedProse).
   */
  code?: boolean;
};
export type DoubtAsk = Omit<DoubtRequest, 'files' | 'signal'>;

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
  'syntax', // the change would leave a file with tree-sitter parse errors it did not have; nothing was written
  'held', // the turn held the change back once (a fix task's failing tests changed instead of the code); made again, it applies
  'rejected', // the user declined the change or the run
  'aborted', // the turn was cancelled (Ctrl-C)
  'timeout', // a run or step ran out of time
  'unavailable', // a needed component (sandbox, index) is not available
  'disk_full', // the disk had no room: nothing was written
  'failed', // anything else; the message says what
] as const;
export type ToolErrorCode = (typeof toolErrorCodes)[number];

/**
 * What a tool does to the world, which is all the agent, approval and ordering need to know:
 * `read` looks (files, index), `edit` changes project files through a change set, `run` executes
 * code in the sandbox, `answer` ends the turn.
 */
export const toolEffects = ['read', 'edit', 'run', 'answer'] as const;
export type ToolEffect = (typeof toolEffects)[number];

/**
 * The parts a tool plays in the usual workflow (create or edit a file, run it, run the tests), as
 * the args to call it with. The agent writes its hints ("next: run the tests with ...") from these,
 * so it never needs to know a tool's name; a tool that plays no such part declares none.
 */
export interface ToolRoles {
  /** Reads a file from its start, or its lines `from`-`to` (1-based, inclusive). */
  readFile?: (path: string, lines?: { from: number; to: number }) => Record<string, unknown>;
  /** Changes part of an existing file: the args for `path`, with the changes left empty. */
  editFile?: (path: string) => Record<string, unknown>;
  /** Writes a whole new file: the args for `path`, with the content left empty. */
  createFile?: (path: string) => Record<string, unknown>;
  /** Searches the project for a literal text (`exact`: case-sensitive; `regex`: a regular expression), a few matching lines. */
  searchText?: (text: string, exact: boolean, regex?: boolean) => Record<string, unknown>;
  /** Runs the project's own test command. */
  runTests?: () => Record<string, unknown>;
  /** Runs one shell command in the sandbox. */
  runCommand?: (command: string) => Record<string, unknown>;
  /** Renames a symbol everywhere in the project: offered only when the request asks for a new name. */
  renameSymbol?: (name: string, newName: string) => Record<string, unknown>;
  /** Moves top-level definitions to another file and updates the imports: offered only when the request asks to move code. */
  moveSymbol?: (names: string, to: string) => Record<string, unknown>;
}

/**
 * What an edit did: the project-relative paths it wrote (and of those, the ones it deleted), or that
 * the files already had that content. A change refused by the syntax gate has none applied and is
 * not unchanged.
 */
export interface EditOutcome {
  applied: string[];
  deleted: string[];
  unchanged: boolean;
}

/** What a tool returns: data, never an exception. */
export interface ToolResult {
  /** Text the model reads as the observation. */
  forModel: string;
  /** Shorter or richer text for the person at the terminal (defaults to `forModel`). */
  forUser?: string;
  error?: { code: ToolErrorCode; message: string };
  /** Project files whose current text the model has now seen (a read); their lines become valid edit anchors. */
  seen?: string[];
  /** Set by a read that showed a whole project file (every line, uncut): its project-relative path. */
  whole?: string;
  /** Set by `edit` tools whenever the change got as far as the files: what was written, or that nothing had to be. */
  edit?: EditOutcome;
  /** A sandboxed run's outcome; the agent counts failed runs as attempts. */
  run?: {
    exitCode: number | null;
    timedOut: boolean;
    command: string;
    code?: string;
    language?: string;
    stdout: string;
    stderr: string;
    durationMs: number;
    /** The output the task expects of this command, which it did not print (a clean exit that still fails the task; see src/agent/intake/expected-output.ts). */
    missingOutput?: string;
  };
  /** Set by a tool outside assist (an MCP server's) that may act on the world: what it changed, assist cannot see. */
  actedOutside?: boolean;
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
  /**
   * Whether the model has seen the current text of a project file (read it, has it pinned, or wrote
   * it) in this session. Absent when not tracked (then every file counts as seen).
   */
  seen?: (path: string) => boolean;
  /**
   * The lines of `path` (project-relative) the last failing run names (a compiler's `file:12`), while
   * the file is as that run saw it; empty otherwise. An edit whose anchor is found twice goes where they point.
   */
  failingLines?: (path: string) => number[];
  /** The test command the turn's request named; absent: run_tests finds the project's. */
  tests?: { command: string; from: string };
  /**
   * The model's fill-in-the-middle (see body-rewrite.ts): the text between `prefix` and `suffix` of
   * `path`, undefined when the model has none. The agent adds the files the turn has read as context.
   */
  infill?: (request: InfillAsk) => Promise<string | undefined>;
  /** Where the model doubts lines of `path` (src/model/token-doubts.ts), with the same files before them as an infill; undefined when it cannot say. */
  doubts?: (request: DoubtAsk) => Promise<LineDoubt[] | undefined>;
  /**
   * The turn's request as a comment in the language of `path` (its line comment), for code
   * completion to read above code it writes afresh; undefined when the turn has none or the
   * language's comment is unknown.
   */
  requestComment?: (path: string) => { text: string; lineComment: string } | undefined;
  /**
   * How the last failing run of the turn failed, in a few lines (what the task expects of its output
   * and what it printed, or the first failure), for code completion to read above code it writes
   * afresh; undefined when no run has failed.
   */
  failureNote?: () => string[] | undefined;
  /**
   * The seeds for the next `count` tries at the code `key` names this turn: 0 (the most usual code)
   * and on at first, then on from where the tries before stopped, so code asked for again is sampled
   * anew (bash-count-lines: each edit that copied its line got the same three rewrites back).
   */
  seedsFor?: (key: string, count: number) => number[];
  /**
   * Whether a change the agent makes on its own (a rewritten body), tried staged, makes the tests
   * fail worse than before; undefined when no tests can tell.
   */
  worsens?: (changes: FileChange[]) => Promise<boolean | undefined>;
  /**
   * The turn's own corrections of a change set before it is shown (a test file's copy of the code it
   * tests, replaced by an import: src/agent/test-writing/copied-code.ts): the changes to propose instead, with
   * what was done in words for the model; undefined to leave them as they are.
   */
  amendChanges?: (changes: readonly FileChange[]) => Promise<{ changes: FileChange[]; notes: string[] } | undefined>;
  /** The turn's own rule for a change set before it is shown: a note refusing it, or undefined to go on. */
  holdChange?: (changes: readonly FileChange[]) => string | undefined;
  /**
   * New files a change set would have created but the syntax gate refused: their refused text, by
   * project-relative path, until they are created. An edit of such a path edits its draft (a new
   * file with one bad line is fixed by an edit, not written again whole). Absent: no drafts kept.
   */
  drafts?: Map<string, string>;
  /** Asks (or not, per the approval mode) whether a change or a run may go ahead. */
  approve(request: ApprovalRequest): Promise<ApprovalAnswer>;
}

/** A tool as the registry holds it. `schema` is within node-llama-cpp's GbnfJsonSchema subset. */
export interface Tool<S extends GbnfJsonObjectSchema = GbnfJsonObjectSchema> {
  name: string;
  description: string;
  schema: S;
  /** What calling it does; `read` tools are the ones a read-only session (`assist ask`) offers. */
  effect: Exclude<ToolEffect, 'answer'>;
  /** Where it stands in the list the model reads and in the action schema: the usual workflow order, lowest first. */
  order: number;
  /** Offered by one-shot `assist run` too (what "write code, run it, fix it" needs; fewer choices help small models). */
  oneShot?: boolean;
  roles?: ToolRoles;
  /**
   * How the code-bearing argument travels in the text protocol (src/model/action-text.ts): as a
   * fenced block, as search/replace blocks of the file the header names, or as files with
   * search/replace blocks. Absent: every argument is in the JSON header.
   */
  text?: TextForm;
  /** Arguments that must name an existing project file; the text protocol's grammar allows only those. */
  existingPaths?: readonly string[];
  /** Of `existingPaths`, those whose tool the grammar leaves out while the conversation shows every file whole and unchanged. */
  unshownPaths?: readonly string[];
  /** Added to the description where actions are JSON only: how the code-bearing argument is written there. */
  jsonNote?: string;
  /** A call shown to the model as the example of its text form (generic: small models copy examples). */
  example?: { thought: string; args: Record<string, unknown> };
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

/** `tools` in the order the model reads them (`order`; a stable sort, so equal orders keep theirs). */
export function orderTools<T extends Pick<Tool<any>, 'order'>>(tools: readonly T[]): T[] {
  return tools
    .map((tool, i) => ({ tool, i }))
    .sort((a, b) => a.tool.order - b.tool.order || a.i - b.i)
    .map((e) => e.tool);
}

/** The first of `tools` that plays `role`, with the args for it; undefined when none does. */
export function toolForRole<R extends keyof ToolRoles>(
  tools: ReadonlyArray<Tool<any>>,
  role: R,
): { tool: Tool<any>; call: NonNullable<ToolRoles[R]> } | undefined {
  for (const tool of orderTools(tools)) {
    const call = tool.roles?.[role];
    if (call) return { tool, call: call as NonNullable<ToolRoles[R]> };
  }
  return undefined;
}

/** Whether a tool's result says it changed project files (an applied write, edit or delete). */
export function appliedChanges(result: ToolResult): boolean {
  return !result.error && (result.edit?.applied.length ?? 0) > 0;
}
