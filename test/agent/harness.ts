/**
 * Shared setup of the agent tests: a real temp repo, a real session (workspace, index, sandbox,
 * session log) driven by a ScriptedModel or a real engine, and the events it reported.
 * Under CI a missing Docker sandbox is a failure; locally a test without any sandbox is skipped.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { openSession, type Session } from '../../src/agent/open-session.ts';
import type { AgentEvent, Approver } from '../../src/agent/events.ts';
import { defaults, type Config } from '../../src/config/schema.ts';
import type { LanguageModel } from '../../src/model/language-model.ts';
import { builtinTools } from '../../tools/index.ts';
import { openIndex } from '../../src/index/open-index.ts';
import type { Tool } from '../../tools/tool.ts';

/** A temp project with these files; removed by `cleanup`. */
export async function makeRepo(files: Record<string, string>): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-agent-'));
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text);
  }
  return { root, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

/** A temp repo of `files` and the real index of it, up to date, with its files' text; removed after `t`. */
export async function indexedRepo(t: TestContext, files: Record<string, string>) {
  const repo = await makeRepo(files);
  t.after(repo.cleanup);
  const index = openIndex(repo.root, defaults, { threads: 1 });
  await index.update();
  return { root: repo.root, index, textOf: (file: string) => fs.readFile(path.join(repo.root, file), 'utf8').catch(() => undefined) };
}

/** Defaults with a small sandbox and the given agent settings. */
export function testConfig(agent: Partial<Config['agent']> = {}, more: Partial<Omit<Config, 'agent'>> = {}): Config {
  return {
    ...structuredClone(defaults),
    agent: { ...defaults.agent, approvalMode: 'auto-edit', actionFormat: 'json', autoTest: 'off', lint: 'off', ...agent },
    sandbox: { ...defaults.sandbox, timeoutMs: 30_000, memoryMb: 256, ...more.sandbox },
    ...(more.model ? { model: more.model } : {}),
    ...(more.index ? { index: more.index } : {}),
    ...(more.tests ? { tests: more.tests } : {}),
  };
}

/** An approver that answers from a list and records what it was asked. */
export function scriptedApprover(answers: Array<Awaited<ReturnType<Approver>>>): Approver & { asked: Parameters<Approver>[0][] } {
  const asked: Parameters<Approver>[0][] = [];
  const approver: Approver = async (request) => {
    asked.push(request);
    return answers.shift() ?? { answer: 'no', reason: 'the test approver has no more answers' };
  };
  return Object.assign(approver, { asked });
}

export interface TestSession {
  session: Session;
  events: AgentEvent[];
}

/**
 * Opens a real session on `root` with `model`. `needsSandbox`: skip locally (fail under CI) when
 * no sandbox backend works; under CI the sandbox must be Docker.
 */
export async function startSession(
  t: TestContext,
  options: {
    root: string;
    config: Config;
    model: LanguageModel;
    approver?: Approver;
    tools?: Tool<any>[];
    needsSandbox?: boolean;
    resumeId?: string;
    readOnly?: boolean;
    oneShot?: boolean;
    actionSchema?: { maxThoughtLength?: number; maxAnswerLength?: number };
  },
): Promise<TestSession | undefined> {
  const events: AgentEvent[] = [];
  const session = await openSession({
    root: options.root,
    config: options.config,
    model: options.model,
    approver: options.approver ?? scriptedApprover([]),
    onEvent: (e) => events.push(e),
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.resumeId !== undefined ? { resumeId: options.resumeId } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
    ...(options.oneShot ? { oneShot: true } : {}),
    ...(options.actionSchema ? { actionSchema: options.actionSchema } : {}),
  });
  if (options.needsSandbox) {
    const kind = session.sandbox?.kind;
    if (process.env.CI && kind !== 'docker') {
      await session.dispose();
      throw new Error(`The agent tests need the Docker sandbox under CI: ${session.sandboxReason}`);
    }
    if (!kind) {
      await session.dispose();
      t.skip(`no sandbox: ${session.sandboxReason}`);
      return undefined;
    }
  }
  await session.indexReady;
  return { session, events };
}

/** The observation texts the model was shown, in order (from its prompts). */
export function lastPromptText(prompts: Array<Array<{ content: string }>>, index = prompts.length - 1): string {
  return prompts[index].map((m) => m.content).join('\n');
}

/**
 * A session on a real temp repo of `files` with a sandbox for the tests and builtin tools, `model`
 * (scripted) answering; undefined when no sandbox is here. Session and repo are cleaned up after `t`.
 */
export async function repairSession(t: TestContext, files: Record<string, string>, model: LanguageModel, config = testConfig()) {
  const repo = await makeRepo(files);
  t.after(repo.cleanup);
  const s = await startSession(t, { root: repo.root, config, model, tools: builtinTools, needsSandbox: true });
  if (!s) return undefined;
  t.after(() => s.session.dispose());
  return { ...s, root: repo.root };
}

/**
 * One turn of `request` in a repair session (repairSession) that must end answered; the session, the
 * result and a reader of the files after it. Undefined when no sandbox is here.
 */
export async function repairTurn(t: TestContext, files: Record<string, string>, model: LanguageModel, request: string) {
  const s = await repairSession(t, files, model);
  if (!s) return undefined;
  const result = await s.session.agent.runTurn(request);
  assert.equal(result.status, 'answered', result.text);
  return { s, result, read: (file: string) => fs.readFile(path.join(s.root, file), 'utf8') };
}
