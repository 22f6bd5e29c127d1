/**
 * Task intake: what a careful developer looks at before the first change, done by the agent
 * before the model's first step, so even a small model starts from the facts. The files the task
 * names (by path, by a unique file name, or by a symbol the index knows) are read, and for a task
 * about failures or tests the project's tests are run once and their failures shown. Each comes
 * into the conversation as an action of the model with its observation, in the protocol the model
 * writes, so the model also sees how the tools are called. Sized by a token budget.
 */
import { statSync } from 'node:fs';
import type { RepoIndex } from '../index/repo-index.ts';
import type { Action } from '../model/language-model.ts';
import { toolForRole, type Tool, type ToolContext, type ToolResult } from '../../tools/tool.ts';
import { filesMentioned, identifiersIn } from './project-context.ts';
import { filesNamedIn } from './task-files.ts';
import { executeTool } from './tool-call.ts';

/** One look the agent took for the model. */
export interface IntakeStep {
  action: Action;
  result: ToolResult;
}

export interface IntakeOptions {
  task: string;
  /** The tools offered this turn; the look-ups use the ones that play the readFile and runTests roles. */
  tools: ReadonlyArray<Tool<any>>;
  ctx: ToolContext;
  index?: RepoIndex;
  /** Run the project's tests first (a task about failing tests or bugs, with a known test command). */
  runTests: boolean;
  /** Tokens the intake may add to the prompt, all steps together. */
  budgetTokens: number;
  countTokens(text: string): number;
  /** Files at most (default 3). */
  maxFiles?: number;
}

/**
 * The files `task` is about, existing ones only, best first: paths and file names it names, then
 * the files defining the code identifiers it names (when the index knows them).
 */
export function taskFiles(task: string, exists: (path: string) => boolean, index?: RepoIndex, max = 3): string[] {
  const out: string[] = [];
  const add = (file: string) => {
    if (out.length < max && !out.includes(file) && exists(file)) out.push(file);
  };
  let indexed: string[] = [];
  try {
    indexed = index?.files() ?? [];
  } catch {
    indexed = [];
  }
  for (const file of indexed.length ? filesMentioned(task, indexed) : []) add(file);
  for (const file of filesNamedIn(task)) add(file.replace(/^\.\//, ''));
  if (index) {
    for (const name of identifiersIn(task)) {
      try {
        for (const def of index.symbols(name, { maxRefs: 0 }).defs.slice(0, 1)) add(def.path);
      } catch {
        // an index that cannot answer adds nothing
      }
    }
  }
  return out;
}

/** Reads the task's files and, when asked, runs the tests, within the budget. Never throws. */
export async function taskIntake(options: IntakeOptions): Promise<IntakeStep[]> {
  const { ctx, tools } = options;
  const steps: IntakeStep[] = [];
  let left = options.budgetTokens;
  const cost = (step: IntakeStep) => options.countTokens(step.result.forModel) + 40;
  const reader = toolForRole(tools, 'readFile');
  if (reader) {
    const exists = (file: string) => {
      try {
        return statSync(ctx.workspace.resolve(file)).isFile();
      } catch {
        return false; // missing, or outside the project
      }
    };
    for (const file of taskFiles(options.task, exists, options.index, options.maxFiles ?? 3)) {
      if (ctx.signal.aborted || left <= 0) break;
      const args = reader.call(file);
      const result = await executeTool(reader.tool, args, ctx);
      if (result.error) continue;
      const step = { action: { thought: `First I read ${file}, which the task is about.`, tool: reader.tool.name, args }, result };
      if (cost(step) > left && steps.length > 0) break;
      left -= cost(step);
      steps.push(step);
    }
  }
  const tester = toolForRole(tools, 'runTests');
  if (options.runTests && tester && !ctx.signal.aborted) {
    const args = tester.call();
    const result = await executeTool(tester.tool, args, ctx);
    if (!result.error || result.run)
      steps.push({ action: { thought: 'I run the tests to see what fails before changing anything.', tool: tester.tool.name, args }, result });
  }
  return steps;
}
