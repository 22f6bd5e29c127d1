/**
 * What a first try needs of the agent. A first try is work assist does itself, mostly by the
 * model's code completion, before the model's first step when the request asks for it in so many
 * words: a section or doc comments written (docs/docs-first.ts), a new test file
 * (test-writing/tests-first.ts), a signature changed, a function extracted, an asked rename or move
 * (refactor/refactor-first.ts). Each is given the agent's tools, index and tool contexts through
 * this, not the rest of the turn's state, and gives back a look the loop shows the model as its own.
 */
import { appliedChanges, toolForRole, type Tool, type ToolContext, type ToolResult } from '../../tools/tool.ts';
import { proposeAndApply } from '../../tools/change-flow.ts';
import type { RepoIndex } from '../index/repo-index.ts';
import type { Action } from '../model/language-model.ts';
import type { FileChange } from '../workspace/approval.ts';
import type { AgentOptions } from './agent.ts';
import type { SeenFiles } from './seen-files.ts';
import { executeTool } from './tool-call.ts';
import { withTestRun } from './turn-ledger.ts';

export interface FirstTryHost {
  readonly options: AgentOptions;
  /** The tools the turn offers (a first try uses them by their roles). */
  readonly offered: readonly Tool<any>[];
  /** What the model has seen of the project in the session. */
  readonly seen: SeenFiles;
  /** The repository index as it is now (absent without one). */
  index(): RepoIndex | undefined;
  toolContext(signal: AbortSignal): ToolContext;
  /** A tool context for a staged try: a run that hangs is given up sooner than the sandbox's limit (`runMs`: the run the try is judged against). */
  tryContext(signal: AbortSignal, runMs: number | undefined): ToolContext;
  /** An info notice in the session log (and on the screen). */
  notice(message: string, detail?: Record<string, unknown>): void;
  /** Whether `file` is in the project (it exists). */
  inProject(file: string): boolean;
}

/** What a first try shows the model: an action as its own, its result, and one line of what was done. */
export interface FirstLook {
  action: Action;
  result: ToolResult;
  summary: string;
}

/**
 * `changes` of assist's own, through approval and apply, then the tests when the project has them
 * (not once the turn is cancelled); the result says `summary` first. Undefined when not applied.
 */
export async function applyThenTest(
  host: FirstTryHost,
  ctx: ToolContext,
  changes: FileChange[],
  summary: string,
  tests: { command: string } | undefined,
): Promise<ToolResult | undefined> {
  const applied = await proposeAndApply(ctx, async () => changes);
  if (!appliedChanges(applied)) return undefined;
  const tester = toolForRole(host.offered, 'runTests');
  const noted = { ...applied, forModel: `${summary}\n${applied.forModel}` };
  if (!tests || !tester || ctx.signal.aborted) return noted;
  return withTestRun(noted, await executeTool(tester.tool, tester.call(), ctx), tests.command);
}
