/**
 * Runs a parsed slash command against the session's parts and returns the text to show. No
 * terminal I/O here: the session loop prints the outcome, tests read it.
 */
import { statSync } from 'node:fs';
import chalk from 'chalk';
import type { ApprovalMode, Config } from '../../config/schema.ts';
import type { TurnStatus } from '../../agent/events.ts';
import type { RepoIndex } from '../../index/repo-index.ts';
import type { LanguageModel } from '../../model/language-model.ts';
import type { SandboxKind } from '../../sandbox/sandbox.ts';
import type { GitSession } from '../../workspace/git-session.ts';
import { PathError, type Workspace } from '../../workspace/workspace.ts';
import { commitCommand, sessionDiffText, undoCommand } from './git-commands.ts';
import { mcpListing, type McpReport } from './mcp-listing.ts';
import { helpText, type SlashCommand, type SlashCommandName } from './slash-commands.ts';
import type { SlashPrompt } from './slash-prompt.ts';
import { constraintText, contextText } from '../render/model-line.ts';

/** What the slash commands need of the agent (the session's `Agent` has all of it). */
export interface AgentControls {
  pin(path: string): unknown;
  unpin(path: string): boolean;
  pinned(): string[];
  clear(): void;
  setApprovalMode(mode: ApprovalMode): void;
  setMaxAttempts(n: number): void;
  setMaxSteps(n: number): void;
  settings(): { approvalMode: ApprovalMode; maxAttempts: number; maxSteps: number };
  /** One answer to a request outside the conversation (`/commit` drafts its message with it). */
  answerOnce(request: string, options?: { signal?: AbortSignal; maxTokens?: number }): Promise<string>;
}

/** One turn of this session, for `/history`. */
export interface HistoryEntry {
  input: string;
  /** Absent while the turn runs or when it failed before a result. */
  status?: TurnStatus;
  steps?: number;
  text?: string;
}

/** The session's parts a slash command may use. */
export interface SlashContext {
  agent: AgentControls;
  workspace: Pick<Workspace, 'resolve' | 'relative' | 'pending' | 'applied' | 'undo'>;
  /** The session's git side; absent outside a repository (or when git cannot be used: `gitProblem` says why). */
  git?: GitSession;
  gitProblem?: string;
  /** Questions to the person (`/commit`, `/undo` of a committed change); absent: every question is answered no. */
  prompt?: SlashPrompt;
  index?: RepoIndex;
  model: Pick<LanguageModel, 'info' | 'countTokens'>;
  config: Config;
  sandbox?: { kind: SandboxKind; describe(): string };
  sandboxReason: string;
  /** One line: the index status as last reported. */
  indexStatus(): string;
  /** The session's MCP servers (absent when the config lists none). */
  mcp?: McpReport;
  history: readonly HistoryEntry[];
}

/** What to show after a command, and whether the session should end. */
export interface SlashOutcome {
  text: string;
  exit?: boolean;
}

/** Commands that may call the model: the session loop hands them the terminal and a signal Ctrl-C aborts, as for a turn. */
export const modelCommands: ReadonlySet<SlashCommandName> = new Set(['commit']);

/**
 * Runs one command. Bad input (a missing file, nothing to undo) is reported in the text. `signal`
 * cancels a model call a command makes (the drafted commit message).
 */
export async function runSlashCommand(command: SlashCommand, ctx: SlashContext, signal?: AbortSignal): Promise<SlashOutcome> {
  switch (command.name) {
    case 'help':
      return { text: helpText() };
    case 'add':
      return { text: await pinFiles(command.paths, ctx) };
    case 'drop':
      return { text: unpinFiles(command.paths, ctx) };
    case 'map':
      return { text: repoMapText(ctx) };
    case 'diff':
      return { text: await sessionDiffText(ctx) };
    case 'undo':
      return { text: await undoCommand(ctx) };
    case 'commit':
      return { text: await commitCommand(command.message, ctx, signal) };
    case 'model':
      return { text: modelText(ctx) };
    case 'mcp':
      return { text: mcpListing(ctx.mcp) };
    case 'mode':
      if (command.mode) ctx.agent.setApprovalMode(command.mode);
      return { text: `Approval mode: ${ctx.agent.settings().approvalMode}${command.mode ? '' : chalk.dim(' (/mode suggest|auto-edit|full-auto to change)')}` };
    case 'attempts':
      if (command.count !== null) ctx.agent.setMaxAttempts(command.count);
      return { text: `Failed runs allowed per turn: ${ctx.agent.settings().maxAttempts}` };
    case 'steps':
      if (command.count !== null) ctx.agent.setMaxSteps(command.count);
      return { text: `Model steps allowed per turn: ${ctx.agent.settings().maxSteps}` };
    case 'clear':
      ctx.agent.clear();
      return { text: `Conversation cleared.${ctx.agent.pinned().length ? ` Still pinned: ${ctx.agent.pinned().join(', ')}` : ''}` };
    case 'history':
      return { text: historyText(ctx.history) };
    case 'exit':
      return { text: '', exit: true };
    default:
      return command satisfies never;
  }
}

async function pinFiles(paths: string[], ctx: SlashContext): Promise<string> {
  const lines: string[] = [];
  for (const typed of paths) {
    try {
      const absolute = ctx.workspace.resolve(typed);
      const stat = statSync(absolute, { throwIfNoEntry: false });
      if (!stat) {
        lines.push(chalk.red(`No file ${typed} in the project.`));
        continue;
      }
      if (!stat.isFile()) {
        lines.push(chalk.red(`${typed} is not a file; pin files one by one.`));
        continue;
      }
      const relative = ctx.workspace.relative(absolute);
      await ctx.agent.pin(relative);
      lines.push(`Pinned ${relative}.`);
    } catch (error) {
      lines.push(chalk.red(error instanceof PathError || error instanceof Error ? error.message : String(error)));
    }
  }
  return lines.join('\n');
}

function unpinFiles(paths: string[], ctx: SlashContext): string {
  if (paths.length === 0) {
    const pinned = ctx.agent.pinned();
    return pinned.length ? `Pinned: ${pinned.join(', ')}` : 'No files are pinned. /add FILE pins one.';
  }
  return paths
    .map((typed) => {
      let relative = typed;
      try {
        relative = ctx.workspace.relative(ctx.workspace.resolve(typed));
      } catch {
        // Not a path inside the project: try it as typed.
      }
      if (ctx.agent.unpin(relative)) return `Unpinned ${relative}.`;
      const pinned = ctx.agent.pinned();
      return chalk.yellow(`${typed} is not pinned.${pinned.length ? ` Pinned: ${pinned.join(', ')}` : ''}`);
    })
    .join('\n');
}

function repoMapText(ctx: SlashContext): string {
  if (!ctx.index)
    return (
      `No repo map: ${ctx.config.index.enabled ? 'the index is not available' : 'indexing is disabled in the config (index.enabled)'}. Index: ` +
      `${ctx.indexStatus()}`
    );
  const tokenBudget = ctx.config.index.mapTokens || Math.min(2048, Math.floor(ctx.model.info.contextSize / 4));
  const map = ctx.index.repoMap({ tokenBudget, focusFiles: ctx.agent.pinned(), countTokens: (t) => ctx.model.countTokens(t) });
  return map.trim()
    ? `${map.trimEnd()}\n${chalk.dim(`(repo map, budget ${tokenBudget} tokens)`)}`
    : 'The repo map is empty: no source files with symbols were found.';
}

function modelText(ctx: SlashContext): string {
  const { info } = ctx.model;
  const settings = ctx.agent.settings();
  const lines = [
    `model     ${info.name} (${info.backend})`,
    `context   ${contextText(info)}`,
    ...(info.server ? [`server    ${info.server.kind}, constraint ${constraintText(info.server)}`] : []),
    ...(info.path ? [`file      ${info.path}`] : []),
    ...(info.loadMs !== undefined ? [`loaded in ${info.loadMs} ms${info.memoryBytes ? `, ${(info.memoryBytes / 2 ** 20).toFixed(0)} MiB` : ''}`] : []),
    `sandbox   ${ctx.sandbox ? ctx.sandbox.describe() : `unavailable - ${ctx.sandboxReason}`}`,
    `approval  ${settings.approvalMode}, ${settings.maxAttempts} attempts, ${settings.maxSteps} steps per turn`,
    `index     ${ctx.indexStatus()}`,
    `pinned    ${ctx.agent.pinned().join(', ') || '-'}`,
  ];
  return lines.join('\n');
}

function historyText(history: readonly HistoryEntry[]): string {
  if (history.length === 0) return 'No turns yet in this session.';
  return history
    .map((entry, i) => {
      const outcome = entry.status ? `${entry.status}${entry.steps !== undefined ? `, ${entry.steps} steps` : ''}` : 'no result';
      const answer = entry.text ? `\n     ${chalk.dim(entry.text.split('\n')[0].slice(0, 100))}` : '';
      return `${String(i + 1).padStart(3)}. ${entry.input} ${chalk.dim(`[${outcome}]`)}${answer}`;
    })
    .join('\n');
}
