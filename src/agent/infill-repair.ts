/**
 * A first try at a fix before the model's first step, by the model's code completion. When the
 * tests fail at the start of a turn that asks for a fix, the functions of the code the intake read
 * that the task or the failure names (then the other functions of those files, a few in all) have
 * their bodies written afresh between signature and closing line (tools/body-rewrite.ts), one at a
 * time; each is tried against the tests in the sandbox while only staged, and the first the tests
 * pass with is proposed like any change (syntax gate, approval, log). In a turn that asks to fill
 * in stubs, every stubbed body of a stub file is written that way at once, and kept when fewer
 * tests fail with it.
 *
 * Measured on the 7 small fixes with Qwen2.5-Coder-1.5B: asked to write the body of the function
 * that holds the bug, with the test files before it, the model's fill-in-the-middle wrote a correct
 * body for 5 of the 7 (my_strlen, Pop, add, range, apply_discount), where in a chat it fixed 1-5 of
 * them per run, often by copying the faulty lines back unchanged.
 */
import type { Action } from '../model/language-model.ts';
import type { RepoIndex, SymbolDef } from '../index/repo-index.ts';
import { isTestPath } from '../languages/test-files.ts';
import { type NewBody, readText, rewriteBody } from '../../tools/body-rewrite.ts';
import { proposeAndApply, syntaxGate, withStaged } from '../../tools/change-flow.ts';
import type { ToolContext, ToolResult } from '../../tools/tool.ts';
import { failureCount } from './attempts.ts';
import { runPassed } from './expected-output.ts';
import { stubLines } from './stub-guard.ts';
import { testDefinitions } from './test-guard.ts';
import { calledNames } from '../../tools/callees-note.ts';

/** What is left of the time for tries begun at `started` (at least 10 s: a try begun is given time to finish). */
function left(started: number): number {
  return Math.max(10_000, tryForMs - (Date.now() - started));
}

/** Functions tried at most in one turn. */
const maxTries = 4;
/**
 * No function is begun after this long: on a CPU a try costs its prompt (the files before the gap,
 * ~64 tokens/s for the 1.5B model on two cores) and a test run, and the model needs the turn's time.
 */
const tryForMs = 90_000;

export interface InfillRepairOptions {
  task: string;
  /** Output of the failing run of the tests at the start of the turn. */
  failure: string;
  /** Files the intake showed; the code files among them are where the fault is looked for. */
  files: string[];
  index: RepoIndex;
  ctx: ToolContext;
  /** Runs the project's tests on the workspace as it is, staged changes included. */
  runTests: () => Promise<ToolResult>;
  /** Fill in stubs (every stubbed body at once) instead of trying one function at a time. */
  stubs?: boolean;
  /** The name of the edit tool, for the action the log and the model see. */
  editTool: string;
}

/** What the repair did, as an intake look: an action and its result (an applied change and the passing run). */
export interface RepairLook {
  action: Action;
  result: ToolResult;
  /** One line for the person: what was rewritten and how the run went. */
  summary: string;
}

/** The functions and methods of `file` in the index, in file order. */
function functionsOf(index: RepoIndex, file: string): SymbolDef[] {
  return (index.outline(file) ?? []).filter((d) => d.kind === 'function' || d.kind === 'method').sort((a, b) => a.line - b.line);
}

/** Whether `name` appears as a word in `text`. */
function names(text: string, name: string): boolean {
  return name.length >= 2 && new RegExp(`(^|[^\\w$])${name.replace(/[$]/g, '\\$')}([^\\w$]|$)`).test(text);
}

/**
 * Whether `def` is a test in a code file: named test…, marked `#[test]` / `@Test` above it, or after
 * a Rust `#[cfg(test)]`. A test is never rewritten: rewritten, it could pass by asserting less.
 */
function isTestFunction(text: string | undefined, def: SymbolDef): boolean {
  if (/^test/i.test(def.name)) return true;
  if (text === undefined) return false;
  const lines = text.split('\n');
  const above = lines.slice(Math.max(0, def.line - 3), def.line - 1).join('\n');
  if (testDefinitions(above).length > 0) return true;
  const cfgTest = lines.findIndex((line) => /^\s*#\[cfg\(test\)\]/.test(line));
  return cfgTest >= 0 && def.line - 1 > cfgTest;
}

/**
 * The functions to try, at most `maxTries`: those the task or the failure names, then what they
 * call (py-fix-discount: the failure names `total`, whose `apply_discount` holds the bug), then the
 * rest in file order. `texts`: the files' text, for the calls.
 */
export function repairCandidates(
  index: RepoIndex,
  files: string[],
  task: string,
  failure: string,
  texts: ReadonlyMap<string, string> = new Map(),
): Array<{ path: string; def: SymbolDef }> {
  const all = files
    .filter((f) => !isTestPath(f))
    .flatMap((path) => functionsOf(index, path).map((def) => ({ path, def })))
    .filter(({ path, def }) => !isTestFunction(texts.get(path), def));
  const named = all.filter(({ def }) => names(task, def.name) || names(failure, def.name));
  const called = new Set(named.flatMap(({ path, def }) => calledNames((texts.get(path) ?? '').split('\n').slice(def.line, def.endLine).join('\n'))));
  const callees = all.filter((c) => !named.includes(c) && called.has(c.def.name));
  const rest = all.filter((c) => !named.includes(c) && !callees.includes(c));
  return [...named, ...callees, ...rest].slice(0, maxTries);
}

/**
 * The files to put before the gap when a body of `target` is written: those the model has seen and
 * the test files about `target` (named like it: test_calc.py, stack_test.go, report_test.rb; or
 * named in the last failing run's output), code first, tests last (nearest the gap).
 */
export function infillContextFiles(target: string, seen: readonly string[], listed: readonly string[], failureOutput: string): string[] {
  const stem = (p: string) =>
    (p.split('/').pop() ?? p)
      .replace(/\.[^.]+$/, '')
      .replace(/^tests?[_-]|([_.-]?(test|spec)s?|Tests?)$/gi, '')
      .toLowerCase();
  const own = stem(target);
  const related = listed.filter((f) => isTestPath(f) && (stem(f) === own || failureOutput.includes(f)));
  const files = [...new Set([...seen, ...related])].filter((file) => file !== target);
  return [...files.filter((file) => !isTestPath(file)), ...files.filter((file) => isTestPath(file))];
}

/** Tries the rewrites; the look of the one applied, or undefined when none helped (nothing is left changed). */
export async function infillRepair(options: InfillRepairOptions): Promise<RepairLook | undefined> {
  // the files as the intake read them (a try is only staged, so they stay so)
  const texts = new Map<string, string>();
  for (const file of options.files) {
    const text = await readText(options.ctx, file);
    if (text !== undefined) texts.set(file, text);
  }
  // ("make the tests pass" may ask to fill in stubs: without any, it is a fix)
  const stubbed = [...texts].some(([file, text]) => !isTestPath(file) && stubLines(text).length > 0);
  return options.stubs && stubbed ? fillStubs(options, texts) : fixOne(options, texts);
}

async function fixOne(options: InfillRepairOptions, texts: ReadonlyMap<string, string>): Promise<RepairLook | undefined> {
  const { ctx, index } = options;
  const started = Date.now();
  for (const { path, def } of repairCandidates(index, options.files, options.task, options.failure, texts)) {
    if (ctx.signal.aborted || Date.now() - started > tryForMs) return undefined;
    const text = texts.get(path);
    if (text === undefined) continue;
    const body = await rewriteBody(ctx, path, text, def, left(started));
    if (!body) continue;
    const tried = await tryChange(options, path, body.text);
    if (!tried || !tried.run || !runPassed(tried.run)) continue;
    return applyRepair(options, path, body.text, [body], `the body of ${def.name}`, tried);
  }
  return undefined;
}

async function fillStubs(options: InfillRepairOptions, texts: ReadonlyMap<string, string>): Promise<RepairLook | undefined> {
  const { ctx, index } = options;
  const failingBefore = failureCount(options.failure);
  for (const path of options.files.filter((f) => !isTestPath(f))) {
    if (ctx.signal.aborted) return undefined;
    let text = texts.get(path);
    if (text === undefined) continue;
    const stubbed = new Set(stubLines(text));
    if (stubbed.size === 0) continue;
    // bottom up, so the lines of the functions above stay where the index has them
    const defs = functionsOf(index, path)
      .filter((d) => [...stubbed].some((line) => line >= d.line && line <= d.endLine))
      .filter((d, _, all) => !all.some((o) => o !== d && o.line >= d.line && o.endLine <= d.endLine))
      .reverse();
    const bodies: NewBody[] = [];
    const filled: string[] = [];
    const started = Date.now();
    for (const def of defs) {
      if (ctx.signal.aborted) return undefined;
      if (Date.now() - started > tryForMs) break;
      const body = await rewriteBody(ctx, path, text, def, left(started));
      if (!body || stubLines(body.after).length > 0) continue;
      text = body.text;
      bodies.push(body);
      filled.unshift(def.name);
    }
    if (bodies.length === 0) continue;
    const tried = await tryChange(options, path, text);
    if (!tried?.run) continue;
    const failing = failureCount(`${tried.run.stdout}\n${tried.run.stderr}`);
    const better = runPassed(tried.run) || (failing !== undefined && failingBefore !== undefined && failing < failingBefore);
    if (!better) continue;
    return applyRepair(options, path, text, bodies.reverse(), `the stubbed bodies (${filled.join(', ')})`, tried);
  }
  return undefined;
}

/** The tests run with `after` as the text of `path`, staged only (nothing written); undefined when the change does not parse. */
async function tryChange(options: InfillRepairOptions, path: string, after: string): Promise<ToolResult | undefined> {
  const { ctx } = options;
  const change = await ctx.workspace.proposeChange(path, after);
  if (change.before === change.after || syntaxGate([change], ctx.config.index.maxFileBytes) || ctx.holdChange?.([change])) return undefined;
  return withStaged(ctx.workspace, [change], options.runTests);
}

/** Proposes the change that helped (approval, apply); its look carries the run that showed it. */
async function applyRepair(
  options: InfillRepairOptions,
  path: string,
  after: string,
  bodies: NewBody[],
  what: string,
  tried: ToolResult,
): Promise<RepairLook | undefined> {
  const { ctx } = options;
  const applied = await proposeAndApply(ctx, async () => [await ctx.workspace.proposeChange(path, after)]);
  if (applied.error || !applied.edit?.applied.length) return undefined;
  const run = tried.run!;
  const passed = runPassed(run);
  const verdict = passed ? 'the tests pass with it' : `fewer tests fail with it (${failureCount(`${run.stdout}\n${run.stderr}`)} failing)`;
  const action: Action = {
    thought: `I write ${what} in ${path} afresh by code completion and run the tests with it: ${verdict}.`,
    tool: options.editTool,
    args: { path, edits: bodies.map((b) => ({ find: `${b.before}\n`, replace: `${b.after}\n` })) },
  };
  const result: ToolResult = {
    ...applied,
    forModel: `${applied.forModel}\nThen the tests ran with it (${run.command}):\n${tried.forModel}`,
    run,
  };
  const summary = `${what} in ${path} ${bodies.length > 1 ? 'were' : 'was'} written afresh by code completion: ${
    passed ? `${run.command} passes with it` : `fewer tests fail with it (${run.command})`
  }.`;
  return { action, result, summary };
}
