/**
 * The refactors a request asks for in so many words, made before the model's first step: a new
 * signature with its calls (signature-change.ts), an extracted function (extract-function.ts), a
 * rename or a move by its tool (rename-first.ts, move-first.ts). See first-try-host.ts.
 */
import { appliedChanges, toolForRole, type ToolResult } from '../../../tools/tool.ts';
import type { SymbolDef } from '../../index/repo-index.ts';
import type { Action } from '../../model/language-model.ts';
import { applyThenTest, type FirstLook, type FirstTryHost } from '../first-try-host.ts';
import { identifiersIn } from '../project-context.ts';
import { executeTool } from '../tool-call.ts';
import { withTestRun } from '../turn-ledger.ts';
import { indexedFiles } from '../intake/intake.ts';
import { signatureTarget } from './call-sites.ts';
import { extractAsked, extractFunction } from './extract-function.ts';
import { changeSignature } from './signature-change.ts';

/**
 * A new signature is written by code completion, its calls changed and the tests run, for at most
 * this long before the model's first step (definitions of 10 and 32 lines took 22 and 42 s to write in a probe).
 */
const signatureForMs = 150_000;

/** An asked extraction is written by code completion and tried for at most this long before the model's first step. */
const extractForMs = 180_000;

/**
 * The function the request changes the signature of, written afresh by code completion with
 * every call of it changed to match (signature-change.ts), proposed and applied once the tests
 * pass with it staged, then the tests; undefined when the function is not one definition, no try
 * passed, or it was not applied.
 */
export async function signatureFirst(
  host: FirstTryHost,
  task: string,
  tests: { command: string },
  signal: AbortSignal,
  runMs: number | undefined,
): Promise<(FirstLook & { fresh: boolean }) | undefined> {
  const tester = toolForRole(host.offered, 'runTests');
  const edit = toolForRole(host.offered, 'editFile')?.tool.name;
  const index = host.index();
  if (!host.options.config.agent.infillRepair || !host.options.model.infill || !index || !tester || !edit) return undefined;
  const name = signatureTarget(identifiersIn(task), index);
  let defs: SymbolDef[] = [];
  try {
    defs = name ? index.symbols(name, { maxRefs: 0 }).defs.filter((d) => d.kind === 'function' || d.kind === 'method') : [];
  } catch {
    return undefined;
  }
  // (two definitions of the name: which calls are whose is not certain)
  if (defs.length !== 1) return undefined;
  const ctx = host.toolContext(signal);
  const change = await changeSignature({
    task,
    ctx,
    def: defs[0],
    files: indexedFiles(index),
    runTests: () => executeTool(tester.tool, tester.call(), host.tryContext(signal, runMs)),
    timeoutMs: signatureForMs,
    log: (message, detail) => host.notice(message, detail),
  });
  if (!change) return undefined;
  const paths = change.changes.map((c) => c.path);
  const summary =
    `Changed the signature of ${defs[0].name} by code completion (\`${change.header}\`) and ${change.calls} call${change.calls === 1 ? '' : 's'} ` +
    `of it to match, in ${paths.join(', ')}.`;
  const result = await applyThenTest(host, ctx, change.changes, summary, tests);
  if (!result) return undefined;
  const action: Action = {
    thought: `I write ${defs[0].name} with its new signature by code completion and change every call of it to match.`,
    tool: edit,
    args: { path: defs[0].path, edits: [] },
  };
  return { action, result, summary, fresh: change.fresh };
}

/**
 * The function the request asks to extract (extract-function.ts), written by code completion,
 * imported and called where the code was, proposed and applied once the tests pass with it
 * staged, then the tests; undefined when the request asks for no extraction this can do, no try
 * passed, or it was not applied.
 */
export async function extractFirst(
  host: FirstTryHost,
  task: string,
  tests: { command: string },
  signal: AbortSignal,
  runMs: number | undefined,
): Promise<FirstLook | undefined> {
  const tester = toolForRole(host.offered, 'runTests');
  const edit = toolForRole(host.offered, 'editFile')?.tool.name;
  const index = host.index();
  if (!host.options.config.agent.infillRepair || !host.options.model.infill || !index || !tester || !edit) return undefined;
  const ask = extractAsked(task, indexedFiles(index), index);
  if (!ask) return undefined;
  const ctx = host.toolContext(signal);
  const extraction = await extractFunction({
    ask,
    task,
    ctx,
    runTests: () => executeTool(tester.tool, tester.call(), host.tryContext(signal, runMs)),
    timeoutMs: extractForMs,
    log: (message, detail) => host.notice(message, detail),
  });
  if (!extraction) return undefined;
  const places = ask.sites.map((s) => `${s.name} (${s.path})`).join(', ');
  const summary = `Extracted \`${extraction.header}\` into ${ask.target} by code completion, and called it in ${places}.`;
  const result = await applyThenTest(host, ctx, extraction.changes, summary, tests);
  if (!result) return undefined;
  const action: Action = {
    thought: `I write ${ask.name} in ${ask.target} by code completion from the code in ${places}, and call it there.`,
    tool: edit,
    args: { path: ask.target, edits: [] },
  };
  return { action, result, summary };
}

/**
 * An asked rename or move done by its tool (approval and apply as for the model's call), then the
 * tests when the project has them; undefined when nothing was changed.
 */
export async function refactorFirst(
  host: FirstTryHost,
  action: Action,
  tests: { command: string } | undefined,
  signal: AbortSignal,
): Promise<{ action: Action; result: ToolResult } | undefined> {
  const renamer = host.offered.find((t) => t.name === action.tool);
  if (!renamer) return undefined;
  const renamed = await executeTool(renamer, action.args, host.toolContext(signal));
  if (!appliedChanges(renamed)) return undefined;
  const tester = toolForRole(host.offered, 'runTests');
  if (!tests || !tester || signal.aborted) return { action, result: renamed };
  const run = await executeTool(tester.tool, tester.call(), host.toolContext(signal));
  return { action, result: withTestRun(renamed, run, tests.command) };
}
