/**
 * The new test file a request asks for, written before the model's first step (test-file-fill.ts).
 * See first-try-host.ts.
 */
import { appliedChanges, toolForRole } from '../../../tools/tool.ts';
import { proposeAndApply } from '../../../tools/change-flow.ts';
import type { Action } from '../../model/language-model.ts';
import type { FileChange } from '../../workspace/approval.ts';
import type { CompilerFix } from '../checks/compiler-fixes.ts';
import { anyTestFile, testDefinitions } from '../checks/test-guard.ts';
import type { FirstLook, FirstTryHost } from '../first-try-host.ts';
import { indexedFiles } from '../intake/intake.ts';
import { executeTool } from '../tool-call.ts';
import { withTestRun } from '../turn-ledger.ts';
import { fillTestFile } from './test-file-fill.ts';

/** A new test file is written by code completion for at most this long before the model's first step (two files of ~900 tokens and their runs). */
const testsForMs = 180_000;

/**
 * The new test file a turn asks for, written by code completion (test-file-fill.ts) with the
 * tests that failed against the code taken out, proposed and applied, then the tests; undefined
 * when the file is there already, nothing passing was written, or it was not applied.
 */
export async function testsFirst(
  host: FirstTryHost,
  how: {
    task: string;
    path: string;
    tests: { command: string };
    signal: AbortSignal;
    /** How long the project's tests ran at the start: a try's run is given up sooner than the sandbox's limit (tryTimeoutMs). */
    runMs: number | undefined;
    /** The code file under test, when known. */
    subjectFile: string | undefined;
    /** The turn's amendments of a new test file (test-writing.ts). */
    amend: (change: FileChange) => Promise<FileChange>;
    /** What a failed run names that assist fixes for certain in the new file, given its text (compiler-fixes.ts). */
    fix: (text: string, output: string) => Promise<CompilerFix | undefined>;
  },
): Promise<FirstLook | undefined> {
  const { task, path, tests, signal, runMs, subjectFile } = how;
  const tester = toolForRole(host.offered, 'runTests');
  const create = toolForRole(host.offered, 'createFile');
  if (!host.options.config.agent.infillRepair || !host.options.model.infill || !tester || !create) return undefined;
  try {
    await host.options.workspace.readText(path);
    return undefined; // (there already: the model adds to it)
  } catch {
    // not there yet: to write
  }
  const ctx = host.toolContext(signal);
  // what the code under test defines, and the tests the project has (a written test must use the one and not copy the other)
  let subjectNames: string[] | undefined;
  try {
    const defs = subjectFile ? host.index()?.outline(subjectFile) : undefined;
    subjectNames = defs?.map((d) => d.name).filter((name) => name.length >= 3);
  } catch {
    // no outline: every test written counts as one of the code
  }
  const existingTests: string[] = [];
  for (const file of host.seen.list().filter((f) => anyTestFile([f]))) {
    const text = await host.options.workspace.readText(file).catch(() => undefined);
    if (text !== undefined) existingTests.push(...testDefinitions(text));
  }
  const fill = await fillTestFile({
    task,
    ctx,
    path,
    ...(subjectNames?.length ? { subjectNames } : {}),
    ...(subjectFile ? { subject: subjectFile } : {}),
    projectTests: indexedFiles(host.index()).filter((file) => anyTestFile([file]) && file !== path),
    existingTests,
    runTests: () => executeTool(tester.tool, tester.call(), host.tryContext(signal, runMs)),
    timeoutMs: testsForMs,
    amend: how.amend,
    fix: how.fix,
    log: (message, detail) => host.notice(message, detail),
  });
  if (!fill) return undefined;
  const applied = await proposeAndApply(ctx, async () => [fill.change]);
  if (!appliedChanges(applied)) return undefined;
  const dropped = fill.dropped.length ? ` (${fill.dropped.length} more failed against the code and were taken out)` : '';
  let summary = `Wrote ${fill.kept.length} test${fill.kept.length === 1 ? '' : 's'} in ${path} by code completion${dropped}: ${fill.kept.join('; ')}.`;
  if (fill.mutants?.run && subjectFile)
    summary += ` They fail on ${fill.mutants.caught} of ${fill.mutants.run} broken cop${fill.mutants.run === 1 ? 'y' : 'ies'} of ${subjectFile} (a condition made false, a boundary moved).`;
  const action: Action = {
    thought: `I write the tests in ${path} by code completion, from the code they test and a test of the project.`,
    tool: create.tool.name,
    args: { ...create.call(path), content: fill.change.after },
  };
  const run = await executeTool(tester.tool, tester.call(), ctx);
  return { action, result: withTestRun({ ...applied, forModel: `${summary}\n${applied.forModel}` }, run, tests.command), summary };
}
