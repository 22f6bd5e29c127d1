/**
 * `openSession`: assembles everything a session needs — model, workspace, index (built in the
 * background), sandbox, the MCP servers of the user's config and their tools, session log and the
 * Agent — and one `dispose()` that frees it all.
 */
import type { AutoTestMode, Config } from '../config/schema.ts';
import { openIndex } from '../index/open-index.ts';
import type { RepoIndex } from '../index/repo-index.ts';
import type { ActionSchemaOptions } from '../model/action-schema.ts';
import type { LanguageModel } from '../model/language-model.ts';
import { openModel, type OpenModelOptions } from '../model/open-model.ts';
import { openSandbox } from '../sandbox/open-sandbox.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { GitSession, type GitSessionOpening } from '../workspace/git-session.ts';
import { openWorkspace } from '../workspace/open-workspace.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { McpServers } from '../mcp/mcp-servers.ts';
import { builtinTools } from '../../tools/index.ts';
import type { Tool } from '../../tools/tool.ts';
import { Agent } from './agent.ts';
import type { AgentEvent, Approver } from './events.ts';
import { describeTools, loadPrompt } from './prompts.ts';
import { SessionLog } from './session-log.ts';

export interface OpenSessionOptions {
  /** Opens the model when `model` is not given (default: `openModel`, from the settings). */
  openModel?: (config: Config, options: OpenModelOptions) => Promise<LanguageModel>;
  root: string;
  config: Config;
  approver: Approver;
  onEvent?: (event: AgentEvent) => void;
  /** A model the caller owns (not disposed with the session). */
  model?: LanguageModel;
  /** Continue this session; `''` continues the latest one (`assist --resume` without an id). */
  resumeId?: string;
  /** Only read-only tools, no sandbox, and the read-only prompt (`assist ask`). */
  readOnly?: boolean;
  /** Model load progress, 0..1 (embedded backend). */
  onModelProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** The tools to offer instead of the built-in ones (tests, evaluations). `readOnly` still filters them. */
  tools?: Tool<any>[];
  /** Bounds of the action's own strings (thought, answer) for small models. */
  actionSchema?: ActionSchemaOptions;
  /**
   * `assist run`: offer only the tools "write code, run it, fix it" needs (those marked `oneShot`) and
   * no generic worked example (the run prompt brings its own).
   */
  oneShot?: boolean;
  /** Run the tests after every applied change; default: from `agent.autoTest` and the approval mode (see `autoTestOn`). */
  autoTest?: boolean;
  /** Check the changed files after every applied change; default: from `agent.lint` and the approval mode (see `lintOn`). */
  lint?: boolean;
  /** Work with git when the project is a repository (notices, /commit, `git.autoCommit`); default: unless `readOnly`. */
  git?: boolean;
}

export interface Session {
  id: string;
  agent: Agent;
  log: SessionLog;
  model: LanguageModel;
  workspace: Workspace;
  index?: RepoIndex;
  sandbox?: Sandbox;
  /** Which sandbox backend is in use and why, or why none is (and what to do). */
  sandboxReason: string;
  /** The MCP servers of the user's config (absent when none is configured, in one-shot `assist run` and in read-only `assist ask`). */
  mcp?: McpServers;
  /** Settles when the first index build has finished, failed, or was skipped. */
  indexReady: Promise<void>;
  /** Turns restored from the log when resuming (0 for a new session). */
  resumedTurns: number;
  /** The session's git side, when the project is a git repository git can read. */
  git?: GitSession;
  /** Why git is not used although the project is a repository (git missing, a repository it cannot read). */
  gitProblem?: string;
  /** Frees the sandbox (containers), the MCP servers, the index build, the model (when opened here), the log. Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Whether the tests run after every applied change: `on`/`off` as configured; `auto` when runs
 * need no asking (auto-edit, full-auto, and one-shot `assist run`, whose sandboxed runs are allowed).
 */
export function autoTestOn(config: Config, oneShot: boolean): boolean {
  return runsAfterChange(config.agent.autoTest, config, oneShot);
}

/** Whether the changed files are checked after every applied change (`agent.lint`): the same rule as `autoTestOn`. */
export function lintOn(config: Config, oneShot: boolean): boolean {
  return runsAfterChange(config.agent.lint, config, oneShot);
}

function runsAfterChange(mode: AutoTestMode, config: Config, oneShot: boolean): boolean {
  switch (mode) {
    case 'on':
      return true;
    case 'off':
      return false;
    case 'auto':
      return oneShot || config.agent.approvalMode !== 'suggest';
    default:
      return mode satisfies never;
  }
}

/** Opens a session in `root`. Throws (with everything already opened disposed) when the model cannot be opened. */
export async function openSession(options: OpenSessionOptions): Promise<Session> {
  const { root, config } = options;
  const emit = (event: AgentEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // rendering problems must not break the session
    }
  };
  const ownsModel = !options.model;
  // git is asked while the model loads
  const gitOpening: Promise<GitSessionOpening> =
    (options.git ?? !options.readOnly)
      ? GitSession.open(root, { autoCommit: config.git.autoCommit, onNotice: (message, level) => emit({ type: 'notice', level, message }) })
      : Promise.resolve({});
  const model = options.model ?? (await (options.openModel ?? openModel)(config, { signal: options.signal, onProgress: options.onModelProgress }));
  let sandbox: Sandbox | undefined;
  let mcp: McpServers | undefined;
  let mcpStarting: Promise<McpServers | undefined> = Promise.resolve(undefined);
  const indexAbort = new AbortController();
  try {
    const baseTools = options.tools ?? builtinTools;
    // MCP servers start while the sandbox opens; one-shot `assist run` offers only its own tools, and
    // `assist ask` (read-only, approval forced to suggest, no person to ask) could call none of them
    if (!options.oneShot && !options.readOnly && Object.keys(config.mcpServers).length > 0) {
      mcpStarting = import('../mcp/mcp-servers.ts').then(({ McpServers }) =>
        McpServers.start(config.mcpServers, {
          cwd: root,
          reservedNames: [...baseTools.map((t) => t.name), 'answer'],
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
    }
    const git = await gitOpening;
    const workspace = git.git ? git.git.wrap(openWorkspace(root)) : openWorkspace(root);
    for (const message of workspace.notices()) emit({ type: 'notice', level: 'warn', message });
    const log = options.resumeId !== undefined ? SessionLog.resume(root, options.resumeId || undefined) : SessionLog.create(root);
    let sandboxReason = 'not needed: this session is read-only';
    if (!options.readOnly) {
      const opened = await openSandbox(config, { root, sessionId: log.id });
      sandbox = opened.sandbox;
      sandboxReason = opened.reason;
    }
    mcp = await mcpStarting;
    const mcpTools = mcp?.tools ?? [];
    for (const notice of mcp?.notices ?? []) emit({ type: 'notice', ...notice });
    const mcpTokens = mcpTools.length ? model.countTokens(describeTools(mcpTools)) : 0;
    if (mcpTokens > model.info.contextSize / 4) {
      emit({
        type: 'notice',
        level: 'warn',
        message:
          `The MCP tools' descriptions take ${mcpTokens} of the model's ${model.info.contextSize} tokens of context in every step; disable ` +
          `servers you do not need ("disabled": true) or use a larger context.`,
      });
    }
    const index = config.index.enabled ? openIndex(root, config) : undefined;
    const agent = new Agent({
      root,
      config,
      model,
      tools: [...baseTools.filter((t) => (!options.readOnly || t.effect === 'read') && (!options.oneShot || t.oneShot)), ...mcpTools],
      workspace,
      ...(sandbox ? { sandbox } : {}),
      approver: options.approver,
      log,
      onEvent: options.onEvent,
      ...(options.readOnly ? { extraSystem: loadPrompt('ask') } : {}),
      ...(options.actionSchema ? { actionSchema: options.actionSchema } : {}),
      ...(options.oneShot ? { example: false } : {}),
      autoTest: options.autoTest ?? autoTestOn(config, options.oneShot === true),
      lint: options.lint ?? lintOn(config, options.oneShot === true),
      ...(options.oneShot ? { remindToChange: false } : {}),
    });
    const resumedTurns = options.resumeId !== undefined ? agent.restore(log.read()).turns : 0;
    try {
      log.append({
        type: 'session',
        id: log.id,
        root,
        model: model.info.name,
        backend: model.info.backend,
        contextSize: model.info.contextSize,
        resumed: options.resumeId !== undefined,
        sandbox: sandboxReason,
      });
    } catch {
      // A read-only project: the agent reports the unwritable log once, at its first event.
    }

    let indexReady: Promise<void>;
    if (index) {
      indexReady = index
        .update((p) => emit({ type: 'index', status: 'progress', done: p.done, total: p.total }), indexAbort.signal)
        .then((r) => {
          agent.setIndex(index);
          if (r.warning) emit({ type: 'notice', level: 'warn', message: r.warning });
          emit({ type: 'index', status: 'ready', done: r.files, total: r.files });
        })
        .catch((error: unknown) => {
          if (indexAbort.signal.aborted) return;
          emit({ type: 'index', status: 'failed', done: 0, total: 0, message: (error as Error)?.message ?? String(error) });
        });
    } else {
      indexReady = Promise.resolve();
      emit({ type: 'index', status: 'disabled', done: 0, total: 0, message: 'index.enabled is false' });
    }

    let disposed: Promise<void> | undefined;
    const openedSandbox = sandbox;
    const openedMcp = mcp;
    return {
      id: log.id,
      agent,
      log,
      model,
      workspace,
      ...(index ? { index } : {}),
      ...(openedSandbox ? { sandbox: openedSandbox } : {}),
      sandboxReason,
      ...(openedMcp ? { mcp: openedMcp } : {}),
      indexReady,
      resumedTurns,
      ...(git.git ? { git: git.git } : {}),
      ...(git.problem ? { gitProblem: git.problem } : {}),
      dispose() {
        disposed ??= (async () => {
          indexAbort.abort();
          await indexReady;
          const results = await Promise.allSettled([openedSandbox?.dispose(), openedMcp?.dispose(), ownsModel ? model.dispose() : undefined]);
          log.close();
          const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
        })();
        return disposed;
      },
    };
  } catch (error) {
    indexAbort.abort();
    await sandbox?.dispose().catch(() => {});
    await (mcp ?? (await mcpStarting.catch(() => undefined)))?.dispose().catch(() => {});
    if (ownsModel) await model.dispose().catch(() => {});
    throw error;
  }
}
