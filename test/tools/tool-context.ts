/**
 * A real ToolContext over a real temporary project, with a scripted approver that records what it
 * was asked (no mock of the workspace: the real one runs).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { openIndex } from '../../src/index/open-index.ts';
import type { ApprovalAnswer, ApprovalRequest } from '../../src/workspace/approval.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import type { Workspace } from '../../src/workspace/workspace.ts';
import type { ToolContext } from '../../tools/tool.ts';

/** A temporary project plus the context tools run with. */
export interface TestProject {
  root: string;
  workspace: Workspace;
  asked: ApprovalRequest[];
  ctx: ToolContext;
  controller: AbortController;
  cleanup(): void;
}

/** Creates a project from `files` (or a copy of `fromDir`); `answer` decides each approval. */
export function makeProject(
  options: { files?: Record<string, string | Buffer>; fromDir?: string; answer?: (request: ApprovalRequest) => ApprovalAnswer } = {},
): TestProject {
  const root = mkdtempSync(path.join(os.tmpdir(), 'assist-ws-'));
  if (options.fromDir) cpSync(options.fromDir, root, { recursive: true });
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  const workspace = openWorkspace(root);
  const asked: ApprovalRequest[] = [];
  const controller = new AbortController();
  const answer = options.answer ?? (() => ({ answer: 'yes' }) as ApprovalAnswer);
  const ctx: ToolContext = {
    root,
    config: structuredClone(defaults),
    workspace,
    signal: controller.signal,
    async approve(request) {
      asked.push(request);
      return answer(request);
    },
  };
  return { root, workspace, asked, ctx, controller, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Every file under `dir` (except `.assist/`) as path → bytes, for whole-tree comparison. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      if (child === '.assist') continue;
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else out[child] = readFileSync(path.join(dir, child)).toString('latin1');
    }
  };
  walk('');
  return out;
}

/**
 * A temporary project from `tree` with its index built, removed after the test; every approval is
 * answered yes and recorded. `read` gives a file's text now.
 */
export async function indexedProject(t: { after(fn: () => unknown): void }, tree: Record<string, string>, prefix = 'assist-indexed-') {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  const index = openIndex(root, defaults, { threads: 1 });
  await index.update();
  const asked: ApprovalRequest[] = [];
  const ctx: ToolContext = {
    root,
    config: defaults,
    workspace: openWorkspace(root),
    index,
    signal: new AbortController().signal,
    approve: async (request) => {
      asked.push(request);
      return { answer: 'yes' };
    },
  };
  const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');
  return { root, ctx, asked, read };
}
