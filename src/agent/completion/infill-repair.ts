/**
 * A first try at a fix before the model's first step, by the model's code completion. When the
 * tests fail at the start of a turn that asks for a fix, the functions of the code the intake read
 * that the task or the failure names (then the other functions of those files, a few in all) are
 * tried one at a time: first a line changed where the model doubts the function
 * (tools/doubted-lines.ts: a one-line bug fixed without touching the rest), then the body written
 * afresh between signature (and docstring) and closing line (tools/body-rewrite.ts); each try is run against the
 * tests in the sandbox while only staged, and the first the tests pass with is proposed like any
 * change (syntax gate, approval, log). When none passes, the two
 * whose rewrite made the fewest tests fail (and no more than before) are sampled (other bodies the
 * model would write) in turn, a body tried before not run again, and a function whose samples keep
 * coming back as one left alone; a rewrite that fails is tried in pieces too, each alone
 * (rewrite-pieces.ts). When a fix's time runs out before that, a later round goes on from there: the
 * bodies not written yet, then samples.
 * In a turn that asks to fill in stubs, every stubbed body of a stub file is written that way at
 * once, each under the request's paragraphs about it (spec-paragraphs.ts); then, while tests fail,
 * the bodies the failing tests call are sampled afresh, told how the best try so far failed, each
 * sample kept when fewer tests fail with it; the whole is kept when no more tests fail than with
 * the stubs (code to go on from, where a stub is none), and the agent then repairs what still
 * fails as a fix.
 * The tests are the judge throughout: a rewrite is never applied on the model's word.
 *
 * Measured on the 7 small fixes with Qwen2.5-Coder-1.5B: asked to write the body of the function
 * that holds the bug, with the test files before it, the model's fill-in-the-middle wrote a correct
 * body for 5 of the 7 (my_strlen, Pop, add, range, apply_discount), where in a chat it fixed 1-5 of
 * them per run, often by copying the faulty lines back unchanged.
 */
import type { Action } from '../../model/language-model.ts';
import type { RepoIndex, SymbolDef } from '../../index/repo-index.ts';
import { isTestPath } from '../../languages/test-files.ts';
import { type NewBody, type RewriteHow, readText, rewriteBody, rewriteLines, topLevelRegion } from '../../../tools/body-rewrite.ts';
import { summarizeTestOutput } from '../../sandbox/test-summary.ts';
import { specParagraphs, wrappedLines } from '../intake/spec-paragraphs.ts';
import { codeLines, type DoubtedLine, doubtedLines } from '../../../tools/doubted-lines.ts';
import { proposeAndApply, syntaxGate, withStaged } from '../../../tools/change-flow.ts';
import { sampling, type ToolContext, type ToolResult } from '../../../tools/tool.ts';
import { failureCount, runPassed } from '../attempts.ts';
import { stubLines } from './stub-guard.ts';
import { testDefinitions } from '../checks/test-guard.ts';
import { calledNames } from '../../../tools/callees-note.ts';
import { callsOfFailingTests, callsPerFailingTest } from '../intake/failing-tests.ts';
import { missingImports, namesFile, withImports } from '../checks/missing-imports.ts';
import { asAssignments } from '../checks/redeclared.ts';
import { withStateHome } from './struct-fields.ts';
import { languageOf } from '../../index/languages.ts';
import { languageRow } from '../../languages/languages.ts';
import { indexedFiles, namesModule } from '../intake/intake.ts';
import { identifiersIn } from '../project-context.ts';
import { copiesTests, TestCopyWatch, testLinesOf } from './copied-tests.ts';
import { linesNamed } from '../checks/output-lines.ts';
import { withSuggestedNames } from '../checks/did-you-mean.ts';
import { rewritePieces } from './rewrite-pieces.ts';

/** What is left of `budgetMs` for tries begun at `started` (at least 10 s: a try begun is given time to finish). */
function left(started: number, budgetMs = tryForMs): number {
  return Math.max(10_000, budgetMs - (Date.now() - started));
}

/**
 * The time limit of one try's test run: ten times what the failing run before it took, at least
 * 15 s (a changed file is compiled again), at most the sandbox's own limit. A body that loops
 * forever is found out sooner, and every try of a turn is one of several.
 */
export function tryTimeoutMs(failedRunMs: number | undefined, sandboxLimitMs: number): number {
  return Math.min(sandboxLimitMs, Math.max(15_000, 10 * (failedRunMs ?? sandboxLimitMs)));
}

/** Functions tried at most in one turn. */
const maxTries = 4;
/**
 * No function is begun after this long: on a CPU a try costs its prompt (the files before the gap,
 * ~64 tokens/s for the 1.5B model on two cores; read once, the tries after reuse it), its body
 * (~12 tokens/s) and a test run, and the model needs the rest of the turn's time.
 */
const tryForMs = 150_000;
/**
 * The same for a fix of code that is not a stub. Early on (98 sessions) every fix the repair made
 * passed at its first rewrite of a function, within 50 s, and the model's own steps were the way
 * on after it; since the repair changes lines, it is the way: in the last run of the eval's 15
 * fixes all 10 that passed did so with no model step (the model's steps in a codebase take 30-150 s
 * each and passed none), while three spent the whole 90 s on a first function that was not the
 * fault (a read of a codebase function with the files before it takes ~30 s, its 12 lines ~28 s).
 */
const defaultFixForMs = 150_000;

/**
 * What a turn's rounds of repair learn: the rewrites tried (one tried before is not run again), how
 * many tests failed with each function's greedy body, and how many of each function's samples came
 * back as a rewrite tried before (both by `path:name`).
 */
export interface RepairMemory {
  texts: Set<string>;
  failing: Map<string, number>;
  /** (a function the model is sure of is left alone in later rounds too: in cpp-range-set's rounds after its fill, 9 samples went to the correct `count` and `ranges` and 7 came back as bodies tried before, 1-29 s each, while `add`, `remove` and `str` failed) */
  same?: Map<string, number>;
  /** The functions whose greedy body was written (`path:name`): a later round writes those of the others first. */
  written?: Set<string>;
}

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
  /** Files that `runTests` runs with staged (a test of a bug report's case, reproduction.ts): read as staged, never rewritten. */
  staged?: ReadonlyArray<{ path: string; after: string }>;
  /**
   * Text that points at lines (`path:line`, the intake's search of the request's words): the
   * functions around them are tried first. For a failure of a test written for the report, where
   * what the failure names is the setup it copied from its neighbour (pyapp-fix-page-count's test
   * names open_database and transaction; the search of "pages" pointed at page_count).
   */
  pointers?: string;
  /** Time for a fix's tries, when not the usual (a second look after a fix is given less). */
  budgetMs?: number;
  /** Fill in stubs (every stubbed body at once) instead of trying one function at a time. */
  stubs?: boolean;
  /**
   * A later round of a fix (1, 2, …; absent: the first): the greedy bodies the rounds before did not
   * write, then samples with seeds no round before used; the lines the model doubts were tried in the first.
   */
  round?: number;
  /** The code repaired is stubs filled this turn (a later round samples every function, see fixOne). */
  filled?: boolean;
  /** What the rounds of a turn learn, kept across them (added to as tried). */
  memory?: RepairMemory;
  /** The name of the edit tool, for the action the log and the model see. */
  editTool: string;
  /** Logs one try: which body, how it was written, and how the tests went with it (the body goes in `detail`). */
  log?: (message: string, detail: Record<string, unknown>) => void;
  /** The lines of the project's tests the repair read (infillRepair sets them): a try that copies them is not run (copied-tests.ts). */
  testLines?: ReadonlySet<string>;
}

/** What the repair did, as an intake look: an action and its result (an applied change and the passing run). */
export interface RepairLook {
  action: Action;
  result: ToolResult;
  /** One line for the person: what was rewritten and how the run went. */
  summary: string;
  /** A step on the way: fewer tests fail with it than before, not none; the repair goes on from its run. */
  partial?: boolean;
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
 * The functions to try, at most `maxTries`: those around the lines `pointers` point at, then what
 * every one of several failing tests reaches (see below), then those the failure names or the task names as code
 * (those in a module the failing tests import first), each group before what it calls, in the
 * order it calls it (py-fix-discount: the failure names `total`, whose `apply_discount` holds the
 * bug; pyapp-fix-date-filter: `list_entries`, whose filter's `where` does), then those the task
 * names in a plain word, then those the failing tests call (`testCalls`: what each
 * failing test calls, see failing-tests.ts) and what those call, the ones more failing tests reach
 * first (ts-fix-pagination: three tests fail, one lists bookings, one rooms; both listings call
 * `toLimitOffset`, which holds the bug), then the rest in file order. A function inside another
 * is not one to try: its enclosing function is (a closure `add` is not the test helper `add`).
 * `texts`: the files' text, for the calls.
 */
export function repairCandidates(
  index: RepoIndex,
  files: string[],
  task: string,
  failure: string,
  texts: ReadonlyMap<string, string> = new Map(),
  testCalls: ReadonlyArray<readonly string[]> = [],
  pointers = '',
): Array<{ path: string; def: SymbolDef }> {
  const all = files
    .filter((f) => !isTestPath(f))
    .flatMap((path) => {
      const defs = functionsOf(index, path);
      const nested = (d: SymbolDef) => defs.some((o) => o !== d && o.line <= d.line && o.endLine >= d.endLine && (o.line < d.line || o.endLine > d.endLine));
      return defs.filter((def) => !nested(def)).map((def) => ({ path, def }));
    })
    .filter(({ path, def }) => !isTestFunction(texts.get(path), def));
  type Candidate = (typeof all)[number];
  const taken: Candidate[] = [];
  const take = (candidates: Candidate[]) => {
    for (const c of candidates) if (!taken.includes(c)) taken.push(c);
  };
  // what `candidates` call, in the order they call it (the fault is often one call down)
  const calleesOf = (candidates: Candidate[]) =>
    candidates.flatMap(({ path, def }) =>
      calledNames((texts.get(path) ?? '').split('\n').slice(def.line, def.endLine).join('\n')).flatMap((name) => all.filter((c) => c.def.name === name)),
    );
  // named: in the failure, or as code in the request (`list_entries`, parse_date()); a plain word of the
  // request names code only weakly ("Users say the same thing" is not about the CLI's `say`)
  const codeLike = new Set(identifiersIn(task));
  const named = all.filter(({ def }) => codeLike.has(def.name) || names(failure, def.name));
  const worded = all.filter(({ def }) => names(task, def.name));
  // of those named, the ones in a module the failing tests import first (the test imports
  // tally.db.entries's list_entries, not the CLI command of the same name), each before what it calls
  const testText = [failure, ...[...texts].filter(([file]) => isTestPath(file)).map(([, text]) => text)].join('\n');
  const imported = named.filter((c) => namesModule(testText, c.path));
  // first what the failing line itself calls (pytest's `>` line, an assertion), not the fixture code the output also prints
  const failingLines = failure
    .split('\n')
    .filter((line) => /^\s*>|\b(assert|expect)/i.test(line))
    .join('\n');
  // what the failing tests call (a weaker sign alone: a test also calls helpers, setup, the HTTP
  // client), and what that calls
  const calledBy = (calls: readonly string[]) => {
    const direct = calls.flatMap((name) => all.filter((c) => c.def.name === name));
    return [...new Set([...direct, ...calleesOf(direct)])];
  };
  const reached = calledBy([...new Set(testCalls.flat())]);
  const reach = new Map<Candidate, number>();
  for (const calls of testCalls) for (const c of calledBy(calls)) reach.set(c, (reach.get(c) ?? 0) + 1);
  // where the pointers point first (a line inside the function: its signature, docstring or body)
  if (pointers) take(all.filter(({ path, def }) => linesNamed(pointers, path).some((line) => line >= def.line && line <= def.endLine)));
  // what every one of several failing tests reaches first: the one place they all go through
  // (ts-fix-back-to-back: one failing test calls findConflicts, the other bookRoom, which calls it;
  // the stack trace named bookRoom and conflictError, where the error was thrown, not made)
  if (testCalls.length >= 2) take(reached.filter((c) => reach.get(c) === testCalls.length));
  for (const group of [imported.filter(({ def }) => names(failingLines, def.name)), imported, named, worded]) {
    take(group);
    take(calleesOf(group));
  }
  // then the rest of what they reach, what more of them reach first (a stable sort: else as called)
  take(reached.sort((a, b) => (reach.get(b) ?? 0) - (reach.get(a) ?? 0)));
  take(all);
  return taken.slice(0, maxTries);
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
export async function infillRepair(asked: InfillRepairOptions): Promise<RepairLook | undefined> {
  // the files as the intake read them (a try is only staged, so they stay so)
  const texts = new Map<string, string>();
  for (const { path, after } of asked.staged ?? []) texts.set(path, after);
  for (const file of asked.files) {
    if (texts.has(file)) continue;
    const text = await readText(asked.ctx, file);
    if (text !== undefined) texts.set(file, text);
  }
  const options = { ...asked, testLines: testLinesOf([...texts].filter(([file]) => isTestPath(file)).map(([, text]) => text)) };
  // ("make the tests pass" may ask to fill in stubs: without any, it is a fix)
  const stubbed = [...texts].some(([file, text]) => !isTestPath(file) && stubLines(text).length > 0);
  if (options.stubs && stubbed) return fillStubs(options, texts);
  const testCalls = await failingTestCalls(options, texts);
  return fixOne({ ...options, files: [...options.files, ...testCalls.files] }, texts, testCalls.perTest);
}

/** Test files read at most to find the failing tests in. */
const maxTestFiles = 60;

/**
 * What each failing test calls (failing-tests.ts), and the code files outside the intake's that
 * define it (their text is added to `texts`).
 */
async function failingTestCalls(options: InfillRepairOptions, texts: Map<string, string>): Promise<{ perTest: string[][]; files: string[] }> {
  const { ctx, index } = options;
  // (no list: the tests the intake read)
  const testFiles = [...new Set([...options.files, ...indexedFiles(index)])].filter((f) => isTestPath(f)).slice(0, maxTestFiles);
  const tests: Array<{ path: string; text: string }> = [];
  for (const path of testFiles) {
    const text = texts.get(path) ?? (await readText(ctx, path));
    if (text !== undefined) tests.push({ path, text });
  }
  const perTest = callsPerFailingTest(options.failure, tests);
  const read = new Set(texts.keys());
  const files: string[] = [];
  for (const name of new Set(perTest.flat()))
    for (const def of await codeDefsNamed(ctx, index, texts, name)) if (!read.has(def.path) && !files.includes(def.path)) files.push(def.path);
  return { perTest, files };
}

/** The functions and methods named `name` in code files (not tests); the text of each one's file is in `texts` after (read if it was not). */
async function codeDefsNamed(ctx: ToolContext, index: RepoIndex, texts: Map<string, string>, name: string): Promise<SymbolDef[]> {
  const out: SymbolDef[] = [];
  for (const def of index.symbols(name, { maxRefs: 0 }).defs) {
    if (!['function', 'method'].includes(def.kind) || isTestPath(def.path)) continue;
    if (!texts.has(def.path)) {
      const text = await readText(ctx, def.path);
      if (text === undefined) continue;
      texts.set(def.path, text);
    }
    out.push(def);
  }
  return out;
}

/**
 * The request to put as a comment above a function of `path` (a bug report's "… and 0.0 for an
 * empty slice" is what the body must do); undefined when the language's line comment is unknown.
 */
export function requestAbove(path: string, task: string): { text: string; lineComment: string } | undefined {
  const lang = languageOf(path);
  return lang ? { text: task, lineComment: languageRow(lang).lineComment } : undefined;
}

/**
 * A C or C++ compiler's word that a function returning a value has no return at all (GCC's, and
 * clang's but not its "in all control paths"): what it returns is undefined. cpp-tiny-vm's sample
 * of `run` that was only comments "passed" all but one of its tests, was kept as a step, and the
 * hidden tests crashed on it.
 */
const noReturn = /no return statement in function returning non-void|non-void function does not return a value(?! in all)/;

/**
 * Failing tests in a run's output (Infinity when the count cannot be read, or the run timed out: the
 * failures printed before a hang are not all there are, and code that never ends is worse than a
 * stub; bash-normpath's one sample that looped forever on `../x` was kept as "4 failing" and
 * cost every later run its 30 s; or when the code returns nothing where it must return a value).
 */
export function failingIn(run: NonNullable<ToolResult['run']>): number {
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.timedOut || noReturn.test(output)) return Number.POSITIVE_INFINITY;
  return failureCount(output) ?? Number.POSITIVE_INFINITY;
}

/** Characters a change of lines alters: what differs between before and after once their common start and end are set aside. */
export function changeSize(change: { before: string; after: string }): number {
  const { before, after } = change;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return Math.max(before.length, after.length) - start - end;
}

/**
 * One-line changes run at most per function (each is a test run; in a probe each one-line bug of the
 * eval had its fix among the lines of the 8 strongest doubts, and each doubt gives up to two lines:
 * written on, and with only the token put in).
 */
const maxLineTries = 12;

/**
 * How much more the model must doubt a line after a change that passed than before it for that line
 * to be changed too (a difference of logits; see otherHalf in fixOne). Measured with the 1.5B model:
 * after Pop's half fix, `s.items = s.items[1:]` went from below the 8 strongest doubts (0.9) to 8.5;
 * after the whole fixes of date-filter and back-to-back no other line rose by more than 0.9.
 */
const doubtGrowth = 3;

/** The same, read again after the line that helped most: a second token of the fix on that line. */
const maxSecondLineTries = 4;

/**
 * Pieces of a failing greedy body tried alone at most (each a test run; pyapp-fix-env-override's fix
 * was the fourth of its body's pieces), and of a failing sample (there are many samples).
 */
const maxPieceRuns = 10;
const maxSamplePieceRuns = 3;

/** Samples of a function that came back as a body tried before, after which it is sampled no more. */
const maxSameSamples = 2;

/** A function to repair, or a script's top-level lines (`region`, 1-based; `def` then spans them, named for the log). */
type Candidate = { path: string; def: SymbolDef; region?: { from: number; to: number } };

/** Code lines a script's top-level code must have to be repaired as one. */
const minScriptLines = 3;

/**
 * The top-level code of each code file (not a test) after its last definition, to the end: a
 * script's own lines, which no function holds (the repair's functions miss them); at least three
 * lines of code, no more than a body may be.
 */
function scriptCandidates(index: RepoIndex, files: readonly string[], texts: ReadonlyMap<string, string>): Candidate[] {
  const out: Candidate[] = [];
  for (const path of files) {
    const text = texts.get(path);
    if (text === undefined || isTestPath(path)) continue;
    const lines = text.split('\n');
    // (a variable or constant is a line of the script, not a block around code)
    const blocks = (index.outline(path) ?? []).filter((d) => d.kind !== 'variable' && d.kind !== 'constant');
    let last = lines.length - 1;
    while (last >= 0 && lines[last].trim() === '') last--;
    const region = last >= 0 ? topLevelRegion(lines, { from: last, to: last }, blocks) : undefined;
    if (!region || codeLines(lines.slice(region.from - 1, region.to)).filter(Boolean).length < minScriptLines) continue;
    const def: SymbolDef = { name: 'the top-level code', kind: 'function', path, line: region.from, endLine: region.to, signature: '' };
    out.push({ path, def, region });
  }
  return out;
}

async function fixOne(options: InfillRepairOptions, texts: Map<string, string>, testCalls: string[][]): Promise<RepairLook | undefined> {
  const { ctx, index } = options;
  const started = Date.now();
  const fixForMs = options.budgetMs ?? defaultFixForMs;
  const functions: Candidate[] = repairCandidates(index, options.files, options.task, options.failure, texts, testCalls, options.pointers).filter((c) =>
    texts.has(c.path),
  );
  // a script's top-level code after its functions, where a filled stub or a bug of a script is (bash-log-summary)
  const candidates = functions.length >= maxTries ? functions : [...functions, ...scriptCandidates(index, options.files, texts)].slice(0, maxTries);
  const timeUp = () => ctx.signal.aborted || Date.now() - started > fixForMs;
  // how many tests failed with each candidate's greedy rewrite: the rewrites that helped point at the fault
  const failing = new Map<Candidate, number>();
  // what was tried already, and how often each function's samples came back as one of those: the
  // model sure of a body (ruby-fix-tag-report's `pending` sampled six times, the same line each time,
  // 50 s) is not asked again
  const triedTexts = options.memory?.texts ?? new Set<string>();
  const same = options.memory ? (options.memory.same ??= new Map<string, number>()) : new Map<string, number>();
  const key = (c: Candidate) => `${c.path}:${c.def.name}`;
  const settle = (c: Candidate) => same.set(key(c), (same.get(key(c)) ?? 0) + 1);
  const settled = (c: Candidate) => (same.get(key(c)) ?? 0) >= maxSameSamples;
  const written = options.memory ? (options.memory.written ??= new Set<string>()) : new Set<string>();
  const round = options.round ?? 0;
  // (bash-ini-get: once the script's rewrite was caught copying its test script, four of the next
  // six tries copied it again, 10-38 s each, the tests still read before the gap)
  const copies = new TestCopyWatch(options.testLines ?? new Set());
  // a rewrite that failed, in pieces, the rest of the body as it was (rewrite-pieces.ts); only one that
  // passes is kept: a piece is often lines taken out, and fewer failing tests with them gone is no step
  // (ts-fix-config-defaults' validateConfig, its checks but the first cut, left 3 of 5 failing)
  const pieceTries = async ({ path, def }: Candidate, body: NewBody, seed?: number): Promise<RepairLook | undefined> => {
    const pieces = rewritePieces(body.before, body.after);
    const lines = pieces.length ? texts.get(path)!.split('\n') : [];
    let runs = 0;
    for (const piece of pieces) {
      if (timeUp() || runs >= (seed ? maxSamplePieceRuns : maxPieceRuns)) break;
      const text = [...lines.slice(0, body.from - 1), piece.body, ...lines.slice(body.to)].join('\n');
      if (triedTexts.has(text)) continue;
      triedTexts.add(text);
      const tried = await tryChange(options, path, text);
      logTry(options, `${def.name} in ${path}`, `${seed ? `sample ${seed}` : 'greedy'}, ${piece.what}`, tried, piece.body);
      if (!tried?.run) continue;
      runs++;
      if (runPassed(tried.run))
        return applyRepair(options, path, tried.text, [{ before: body.before, after: piece.body }], `part of the body of ${def.name}`, tried);
    }
    return undefined;
  };
  const attempt = async (candidate: Candidate, seed?: number, deeper = true): Promise<RepairLook | undefined> => {
    const { path, def } = candidate;
    const request = requestAbove(path, options.task);
    const how = { timeoutMs: left(started, fixForMs), ...(request ? { request } : {}), ...sampling(seed ?? 0), ...copies.how };
    const body = candidate.region
      ? await rewriteLines(ctx, path, texts.get(path)!, candidate.region.from, candidate.region.to, how)
      : await rewriteBody(ctx, path, texts.get(path)!, def, how);
    // (written, even as the code already there, unless its time ran out: a body cut short is written again in a later round)
    if (!seed && !timeUp()) written.add(key(candidate));
    // (a sample that comes back empty or as the code already there is one tried before too)
    if (!body) {
      if (seed) settle(candidate);
      return undefined;
    }
    if (triedTexts.has(body.text)) {
      settle(candidate);
      options.log?.(`Code completion wrote ${def.name} in ${path} (${seed ? `sample ${seed}` : 'greedy'}) as it was tried before: not run again.`, {
        body: body.after,
      });
      return undefined;
    }
    triedTexts.add(body.text);
    if (copies.copies(texts.get(path)!, body.text)) {
      options.log?.(
        `Code completion wrote a copy of the tests for ${def.name} in ${path} (${seed ? `sample ${seed}` : 'greedy'}): not run, and the next tries read no tests.`,
        {
          body: body.after,
        },
      );
      return undefined;
    }
    const tried = await tryChange(options, path, body.text);
    logTry(options, `${def.name} in ${path}`, seed ? `sample ${seed}` : 'greedy', tried, body.after);
    if (!tried?.run) return undefined;
    if (runPassed(tried.run)) {
      // a body that passes by no longer calling the project's own function that did the work routes
      // around the fault instead of fixing it (js-fix-range-sum: sumRange summed a loop of its own and
      // left range, whose end was exclusive, as it was): that function is tried first, this body kept if it fails
      if (deeper) {
        for (const callee of await droppedCallees(ctx, index, texts, def, path, body)) {
          if (timeUp()) break;
          const look = await attempt(callee, undefined, false);
          if (look) return look;
        }
      }
      return applyRepair(options, path, tried.text, [body], `the body of ${def.name}`, tried);
    }
    if (step(tried)) return asStep(await applyRepair(options, path, tried.text, [body], `the body of ${def.name}`, tried));
    const piece = await pieceTries(candidate, body, seed);
    if (piece) return piece;
    if (!seed) {
      const count = failingIn(tried.run);
      failing.set(candidate, count);
      options.memory?.failing.set(key(candidate), count);
    }
    return undefined;
  };
  // one line changed the model's way, where it doubts the function (doubted-lines.ts), before the whole
  // body afresh; when none passes, the one that left the fewest tests failing (and no more than
  // before) is read again and that line changed again the same way: a fix of two tokens, each alone no
  // better (ts-fix-back-to-back: `starts_at <= ? AND ends_at >= ?`, with `<` alone the same 2 failing)
  const failingBefore = failureCount(options.failure) ?? Number.POSITIVE_INFINITY;
  // with several tests failing, a change that leaves fewer failing (counted) is kept as a step, and the
  // repair goes on from its run (the agent calls it again): ruby-duration's filled stubs failed 4
  // tests, `seconds = 0` on the line the model doubted left 2, and with only a passing change kept it
  // was dropped, as were the two bodies after it that also left 2
  const step = (tried: Tried): boolean => {
    const failing = failingIn(tried.run!);
    return failingBefore >= 2 && Number.isFinite(failingBefore) && failing > 0 && failing < failingBefore;
  };
  // a line that passes may be half of a fix the tests do not see: the function is read again with it,
  // and a line the model now doubts far more than before (the change made it stand out) is changed too,
  // kept when the tests still pass (go-fix-stack: `v = s.items[len(s.items)-1]` passes the one test of
  // Pop, while `s.items = s.items[1:]` still drops the bottom item)
  const otherHalf = async (candidate: Candidate, text: string, edit: DoubtedLine, before: DoubtedLine[]): Promise<RepairLook | undefined> => {
    const { path, def } = candidate;
    if (timeUp() || before.length === 0) return undefined;
    const added = edit.after.split('\n').length - edit.before.split('\n').length;
    const request = requestAbove(path, options.task);
    const { region } = candidate;
    const again = await doubtedLines(ctx, path, text, region ? { region: { ...region, to: region.to + added } } : { ...def, endLine: def.endLine + added }, {
      timeoutMs: left(started, fixForMs),
      ...(request ? { request } : {}),
    });
    // how strongly a line was doubted before the change (one not among the strongest: as the weakest of them)
    const floor = Math.min(...before.map((c) => c.gap));
    const was = (line: number) => Math.max(floor, ...before.filter((c) => c.from === (line > edit.from ? line - added : line)).map((c) => c.gap));
    const grown = again.filter((c) => (c.from < edit.from || c.from > edit.from + added) && c.gap >= was(c.from) + doubtGrowth);
    let runs = 0;
    for (const change of grown) {
      if (timeUp() || runs >= maxSecondLineTries) break;
      if (triedTexts.has(change.text)) continue;
      triedTexts.add(change.text);
      const tried = await tryChange(options, path, change.text);
      logTry(options, `line ${change.from} of ${def.name} in ${path}`, 'doubted more after a change that passed', tried, change.after);
      if (!tried?.run) continue;
      runs++;
      if (runPassed(tried.run)) return applyRepair(options, path, tried.text, [edit, change], `lines ${edit.from} and ${change.from} of ${def.name}`, tried);
    }
    return undefined;
  };
  const lineTries = async (candidate: Candidate, base: string, first?: NewBody, deeper = true): Promise<RepairLook | undefined> => {
    const { path, def } = candidate;
    const request = requestAbove(path, options.task);
    const changes = await doubtedLines(ctx, path, base, candidate.region ? { region: candidate.region } : def, {
      timeoutMs: left(started, fixForMs),
      ...(request ? { request } : {}),
    });
    let runs = 0;
    let best: { change: NewBody; text: string; failing: number } | undefined;
    // (read again, only the same line: a second change elsewhere would keep the first, which the tests
    // did not need, with it; pyapp-fix-env-override's best first line was `env = replace.environ if env
    // is None else env`, the same tests failing because none runs that branch)
    for (const change of first ? changes.filter((c) => c.from === first.from) : changes) {
      if (timeUp() || runs >= (first ? maxSecondLineTries : maxLineTries)) break;
      if (triedTexts.has(change.text)) continue;
      triedTexts.add(change.text);
      const tried = await tryChange(options, path, change.text);
      logTry(
        options,
        `line ${change.from} of ${def.name} in ${path}`,
        first ? 'where the model doubts it, again' : 'where the model doubts it',
        tried,
        change.after,
      );
      // (a line that does not parse costs no run)
      if (!tried?.run) continue;
      runs++;
      // (both changes as one edit of the line, from what it was)
      const edit = first ? { ...change, before: first.before } : change;
      if (runPassed(tried.run)) {
        // a line that passes by no longer calling the project's function that did the work routes
        // around the fault, as a body can (py-fix-discount: `total` computed the discount itself and
        // left apply_discount, which holds the bug, as it was): that function is tried first
        if (deeper) {
          for (const callee of await droppedCallees(ctx, index, texts, def, path, edit)) {
            if (timeUp()) break;
            const look =
              (await lineTries(callee, texts.get(callee.path)!, undefined, false)) ?? (timeUp() ? undefined : await attempt(callee, undefined, false));
            if (look) return look;
          }
        }
        const whole = first || tried.inserted ? undefined : await otherHalf(candidate, tried.text, change, changes);
        return whole ?? applyRepair(options, path, tried.text, [edit], `line ${edit.from} of ${def.name}`, tried);
      }
      if (step(tried)) return asStep(await applyRepair(options, path, tried.text, [edit], `line ${edit.from} of ${def.name}`, tried));
      const failing = failingIn(tried.run);
      // (not a run that timed out or whose failures could not be counted: nothing to build on; of as many
      // failing, the smaller change: `starts_at <= ?` → `<`, not `ORDER BY starts_at` → `starts_at, id`,
      // both leaving the same two tests failing, the first on their other half)
      if (
        !tried.inserted &&
        Number.isFinite(failing) &&
        failing <= failingBefore &&
        (!best || failing < best.failing || (failing === best.failing && changeSize(change) < changeSize(best.change)))
      )
        best = { change, text: tried.text, failing };
    }
    if (first || !best || timeUp()) return undefined;
    return lineTries(candidate, best.text, best.change, deeper);
  };
  // the lines of every function before any whole body: a body costs a function's worth of tokens
  // written (~35 s for 20 lines of a codebase), and the first function is often not the fault
  // (ts-fix-config-defaults: validateConfig, which reported the missing keys, took the whole time;
  // mergeLayers, third, held the bug)
  for (const candidate of round ? [] : candidates) {
    if (timeUp()) return undefined;
    const look = await lineTries(candidate, texts.get(candidate.path)!);
    if (look) return look;
  }
  // (a later round: the bodies the first one's time did not reach, before any sample)
  for (const candidate of round ? candidates.filter((c) => !written.has(key(c))) : candidates) {
    if (timeUp()) return undefined;
    const look = await attempt(candidate);
    if (look) return look;
  }
  // then samples of the likeliest two: those whose greedy rewrite made fewer tests fail first (the
  // most usual body is not always right; another of the bodies the model would write may be), not
  // one whose rewrite made more tests fail than before (on record no such sample ever passed, and
  // ts-fix-back-to-back's cost 30 s a pair)
  // (a later round after filled stubs goes by what the first learned, and samples even those: filled stubs
  // are not working code, and their samples vary; bash-ini-get's fill samples left 4 and 6 failing, the
  // repair's greedy script 7, and with it left out the rounds had nothing to sample)
  const greedyFailing = (c: Candidate) => failing.get(c) ?? options.memory?.failing.get(key(c)) ?? failingBefore;
  // (not one whose samples keep coming back as before: the next likeliest instead)
  const likeliest = [...candidates]
    .filter((c) => ((round > 0 && options.filled) || greedyFailing(c) <= failingBefore) && !settled(c))
    .sort((a, b) => greedyFailing(a) - greedyFailing(b))
    .slice(0, 2);
  for (let seed = round * maxSamples + 1; seed <= (round + 1) * maxSamples; seed++) {
    for (const candidate of likeliest) {
      if (timeUp()) return undefined;
      if (settled(candidate)) continue;
      const look = await attempt(candidate, seed);
      if (look) return look;
    }
  }
  return undefined;
}

/**
 * How many tests fail with the stubs, as a bar for the code written for them: the count of `failure`,
 * unless the run stopped at a stub (it names one: "RangeSet::str is not implemented yet"), when the
 * count is of the tests it reached (cpp-range-set: "1 check(s) failed" at the first stub's
 * exception, so code that ran every test and failed 4 was not kept), and any count is better.
 */
export function stubbedFailing(failure: string): number {
  if (stubLines(failure).length > 0) return Number.POSITIVE_INFINITY;
  return failureCount(failure) ?? Number.POSITIVE_INFINITY;
}

/** Whether code whose run had `failing` tests failing is no worse than stubs with `before`: fewer, or as many counted (not a run whose count could not be read). */
function noWorse(failing: number, before: number): boolean {
  return failing < before || (Number.isFinite(failing) && failing === before);
}

async function fillStubs(options: InfillRepairOptions, texts: ReadonlyMap<string, string>): Promise<RepairLook | undefined> {
  const { ctx, index } = options;
  const failingBefore = stubbedFailing(options.failure);
  const started = Date.now();
  const timeUp = () => ctx.signal.aborted || Date.now() - started > tryForMs;
  for (const path of options.files.filter((f) => !isTestPath(f))) {
    if (ctx.signal.aborted) return undefined;
    const original = texts.get(path);
    if (original === undefined) continue;
    let text = original;
    const stubbed = new Set(stubLines(text));
    if (stubbed.size === 0) continue;
    // bottom up, so the lines of the functions above stay where the index has them
    const defs = functionsOf(index, path)
      .filter((d) => [...stubbed].some((line) => line >= d.line && line <= d.endLine))
      .filter((d, _, all) => !all.some((o) => o !== d && o.line >= d.line && o.endLine <= d.endLine))
      .reverse();
    if (defs.length === 0) {
      // a script whose top-level code is the stub: those lines are written afresh
      const look = await fillLooseStub(options, path, text, looseStubRegion(text, [...stubbed], functionsOf(index, path)), failingBefore, started);
      if (look) return look;
      continue;
    }
    const bodies = new Map<SymbolDef, NewBody>();
    const spans = new Spans(defs);
    const copies = new TestCopyWatch(options.testLines ?? new Set());
    // the state the stubbed methods share gets a home first (struct-fields.ts), so the bodies can use it
    const testTexts = [...texts].filter(([file]) => isTestPath(file)).map(([, t]) => t);
    const home = await withStateHome(ctx, path, text, testTexts, { timeUp, timeoutMs: () => left(started), log: options.log });
    text = home.text;
    for (const at of home.inserted) spans.inserted(at.at, at.added);
    const structs = home.edits;
    // what each function must do, from the request, as the comment above it (spec-paragraphs.ts)
    const specOf = (def: SymbolDef) =>
      specNotes(
        path,
        options.task,
        def.name,
        defs.map((d) => d.name),
      );
    for (const def of defs) {
      if (timeUp()) break;
      // greedy, then a sample or two when the most usual body is the stub again (c-human-size: the
      // other function's stub in the prompt was copied, and nothing was ever tried)
      let body: NewBody | undefined;
      for (let seed = 0; seed <= stubRetries && !timeUp(); seed++) {
        // (the stubs not written yet are left out of what the model reads: it copies them)
        const hide = defs.filter((o) => o !== def && !bodies.has(o)).map((o) => spans.at(o));
        body = await rewriteBody(ctx, path, text, spans.at(def), {
          timeoutMs: left(started),
          maxTokens: stubBodyTokens,
          hide,
          ...specOf(def),
          ...sampling(seed),
          ...copies.how,
        });
        const copy = body !== undefined && copies.copies(text, body.text);
        // (a body that does not parse spoils the others' run too: ruby-semver's to_s, a quote closed
        // inside an interpolation, and parse and <=> were never run)
        const broken = body !== undefined && !copy && syntaxGate([{ path, before: text, after: body.text, diff: '' }], ctx.config.index.maxFileBytes) !== null;
        if (body && !copy && !broken && stubLines(body.after).length === 0) break;
        const why = copy ? 'a copy of the tests' : broken ? 'a body that does not parse' : 'the stub again, or nothing';
        options.log?.(`Code completion wrote no body for ${def.name} in ${path} (${seed ? `sample ${seed}` : 'greedy'}): ${why}.`, {
          body: body?.after ?? '',
        });
        body = undefined;
      }
      if (!body) continue;
      text = body.text;
      spans.rewrote(def, body.before, body.after);
      bodies.set(def, body);
    }
    if (bodies.size === 0) continue;
    let tried = await tryChange(options, path, text);
    logTry(options, `the stubbed bodies in ${path}`, 'greedy', tried, [...bodies.values()].map((b) => b.after).join('\n\n'));
    if (!tried?.run) continue;
    text = tried.text;
    if (tried.inserted) spans.inserted(tried.inserted.at, tried.inserted.added);
    let failing = failingIn(tried.run);
    // a fill whose run gives no count: the bodies that spoil it go back to their stubs, and the rest
    // is run on its own (bodiesThatRun)
    const restubbed = new Set<SymbolDef>();
    if (!runPassed(tried.run) && !Number.isFinite(failing) && bodies.size > 1 && !timeUp()) {
      const kept = await bodiesThatRun(options, path, text, bodies, spans, tried, timeUp);
      if (kept) {
        for (const def of kept.back) {
          spans.rewrote(def, bodies.get(def)!.after, bodies.get(def)!.before);
          bodies.delete(def);
          restubbed.add(def);
        }
        text = kept.tried.text;
        tried = kept.tried;
        failing = failingIn(kept.tried.run!);
        if (kept.tried.inserted) spans.inserted(kept.tried.inserted.at, kept.tried.inserted.added);
      }
    }
    // then, while tests fail and time is left, each body a compiler error points into or the failing
    // tests call is sampled afresh (a stub put back first), and the sample kept when fewer tests fail
    // with it (or it compiles)
    for (let seed = 1; seed <= maxSamples && !runPassed(tried.run!) && !timeUp(); seed++) {
      for (const def of suspects(`${tried.run!.stdout}\n${tried.run!.stderr}`, texts, [...restubbed, ...bodies.keys()], path, spans)) {
        if (timeUp() || runPassed(tried.run!)) break;
        const hide = defs.filter((o) => o !== def && !bodies.has(o)).map((o) => spans.at(o));
        const body = await rewriteBody(ctx, path, text, spans.at(def), {
          timeoutMs: left(started),
          maxTokens: stubBodyTokens,
          hide,
          ...withFailure(specOf(def), tried.run!),
          ...sampling(seed),
          ...copies.how,
        });
        if (!body || stubLines(body.after).length > 0 || copies.copies(text, body.text)) continue;
        const retried = await tryChange(options, path, body.text);
        logTry(options, `${def.name} in ${path}`, `sample ${seed}`, retried, body.after);
        if (!retried?.run || (!runPassed(retried.run) && failingIn(retried.run) >= failing)) continue;
        text = retried.text;
        tried = retried;
        failing = failingIn(retried.run);
        spans.rewrote(def, body.before, body.after);
        if (retried.inserted) spans.inserted(retried.inserted.at, retried.inserted.added);
        bodies.set(def, { ...(bodies.get(def) ?? body), after: body.after });
        restubbed.delete(def);
      }
    }
    const better = runPassed(tried.run!) || noWorse(failing, failingBefore);
    if (!better) continue;
    const filled = [...bodies.keys()].reverse();
    const edits = [...structs, ...filled.map((def) => bodies.get(def)!)];
    const what = `${structs.map((x) => `${x.what} and `).join('')}the stubbed bodies (${filled.map((d) => d.name).join(', ')})`;
    return applyRepair(options, path, text, edits, what, tried);
  }
  return undefined;
}

/**
 * Of filled bodies whose run together gives no count, the ones that run: first the bodies a
 * compiler error points into go back to their stubs and the rest is run (rust-dates: five bodies,
 * `Weekday::from(i)` in one, and nothing was counted or kept); when that gives no count either, or
 * no error points into a body (a body that loops forever, crashes or eats the memory:
 * ruby-duration's `parse` appended to the array it walked, and every later sample of `format` ran
 * beside it and was counted as nothing), each body is run alone, the others stubs, and the ones
 * that give a count are run together, else the one alone with the fewest failing. Undefined when no such run gives a count; else the run
 * kept and the bodies it put back (`back`).
 */
async function bodiesThatRun(
  options: InfillRepairOptions,
  path: string,
  text: string,
  bodies: ReadonlyMap<SymbolDef, NewBody>,
  spans: Spans,
  tried: Tried,
  timeUp: () => boolean,
): Promise<{ tried: Tried; back: SymbolDef[] } | undefined> {
  /** `text` with the bodies of `defs` stubs again; undefined when one of them is not there once. */
  const stubbing = (defs: readonly SymbolDef[]) => {
    let back = text;
    for (const def of defs) {
      const body = bodies.get(def)!;
      if (back.split(body.after).length !== 2) return undefined;
      back = back.replace(body.after, body.before);
    }
    return back;
  };
  const counted = async (back: SymbolDef[], label: string) => {
    const at = stubbing(back);
    if (at === undefined || timeUp()) return undefined;
    const run = await tryChange(options, path, at);
    logTry(options, `the stubbed bodies in ${path} but ${back.map((d) => d.name).join(', ')}`, label, run, '');
    return run?.run && Number.isFinite(failingIn(run.run)) ? { tried: run, back, failing: failingIn(run.run) } : undefined;
  };
  const all = [...bodies.keys()];
  const lines = tried.run?.timedOut ? [] : linesNamed(withoutWarnings(`${tried.run!.stdout}\n${tried.run!.stderr}`), path);
  const broken = all.filter((d) => lines.some((line) => line >= spans.at(d).line && line <= spans.at(d).endLine));
  if (broken.length > 0 && broken.length < all.length) {
    const rest = await counted(broken, 'the rest of the greedy bodies');
    if (rest) return rest;
  }
  // (the lines named may be warnings of a fill that built and then crashed: c-human-size's greedy
  // parse_size drew -Woverflow warnings, and format_size's snprintf of "%.1f" with an integer
  // crashed the run)
  if (all.length > maxIsolated) return undefined;
  const alone: Array<{ def: SymbolDef; run: NonNullable<Awaited<ReturnType<typeof counted>>> }> = [];
  for (const def of all) {
    const run = await counted(
      all.filter((o) => o !== def),
      `${def.name} alone`,
    );
    if (run) alone.push({ def, run });
  }
  const best = alone.map((a) => a.run).reduce<(typeof alone)[number]['run'] | undefined>((b, r) => (!b || r.failing < b.failing ? r : b), undefined);
  if (best && alone.length > 1 && alone.length < all.length) {
    const together = await counted(
      all.filter((d) => !alone.some((a) => a.def === d)),
      'the bodies that run alone, together',
    );
    if (together && together.failing <= best.failing) return together;
  }
  return best;
}

/** Bodies run one at a time at most, to find the ones a fill's run is spoiled by (each is a test run). */
const maxIsolated = 6;

/**
 * The lines of a script's top-level stub: from its first stub line outside every function to the
 * line before the next function after it (else the end of the file), blank lines at the end left
 * out; undefined when every stub is in a function.
 */
export function looseStubRegion(text: string, stubbed: number[], functions: SymbolDef[]): { from: number; to: number } | undefined {
  const loose = stubbed.filter((line) => !functions.some((d) => line >= d.line && line <= d.endLine)).sort((a, b) => a - b);
  if (loose.length === 0) return undefined;
  const from = loose[0];
  const lines = text.split('\n');
  const next = functions.filter((d) => d.line > from).sort((a, b) => a.line - b.line)[0];
  let to = next ? next.line - 1 : lines.length;
  while (to > from && (lines[to - 1] ?? '').trim() === '') to--;
  return { from, to };
}

/**
 * Fills a script's top-level stub (`region`, see looseStubRegion): greedy, then samples while the
 * lines come back a stub; then, while tests fail, samples afresh, each kept when fewer tests fail.
 * The look of the change applied when the tests pass or no more fail than `failingBefore`.
 */
async function fillLooseStub(
  options: InfillRepairOptions,
  path: string,
  text: string,
  region: { from: number; to: number } | undefined,
  failingBefore: number,
  started: number,
): Promise<RepairLook | undefined> {
  if (!region) return undefined;
  const { ctx } = options;
  const timeUp = () => ctx.signal.aborted || Date.now() - started > tryForMs;
  let best: { body: NewBody; tried: Tried; failing: number } | undefined;
  // the request as the comment above the code; a sample after a failing try is told how the best one failed
  const spec = specNotes(path, options.task, '', []);
  const copies = new TestCopyWatch(options.testLines ?? new Set());
  const write = (seed: number) =>
    rewriteLines(ctx, path, text, region.from, region.to, {
      timeoutMs: left(started),
      maxTokens: stubBodyTokens,
      ...(best ? withFailure(spec, best.tried.run!) : spec),
      ...sampling(seed),
      ...copies.how,
    });
  for (let seed = 0; seed <= maxSamples && !timeUp() && !(best && runPassed(best.tried.run!)); seed++) {
    const body = await write(seed);
    const copy = body !== undefined && copies.copies(text, body.text);
    if (!body || copy || stubLines(body.after).length > 0) {
      options.log?.(
        `Code completion wrote no code for the stub of ${path} (${seed ? `sample ${seed}` : 'greedy'}): ${copy ? 'a copy of the tests' : 'the stub again, or nothing'}.`,
        { body: body?.after ?? '' },
      );
      continue;
    }
    const tried = await tryChange(options, path, body.text);
    logTry(options, `the stub of ${path}`, seed ? `sample ${seed}` : 'greedy', tried, body.after);
    if (!tried?.run) continue;
    const failing = failingIn(tried.run);
    if (!best || runPassed(tried.run) || failing < best.failing) best = { body, tried, failing };
  }
  if (!best || !(runPassed(best.tried.run!) || noWorse(best.failing, failingBefore))) return undefined;
  return applyRepair(options, path, best.tried.text, [best.body], `the code of ${path} (it was a stub)`, best.tried);
}

/**
 * The paragraphs of the request about function `name` (of `names`, the ones being written) as notes
 * for the comment above it, in `path`'s line comment; {} when the language has none.
 */
function specNotes(path: string, task: string, name: string, names: readonly string[]): Pick<RewriteHow, 'notes'> {
  const lang = languageOf(path);
  const spec = specParagraphs(task, name, names);
  return lang && spec ? { notes: { lines: wrappedLines(spec), lineComment: languageRow(lang).lineComment } } : {};
}

/** Lines of a failing run told above a function sampled again, at most, each cut to 120 characters. */
const maxFailureLines = 12;

/**
 * Lines of node:test's TAP output that say nothing of the failure (`# Subtest:`, `---`, `...`,
 * `duration_ms:`, `type: 'test'`, `failureType:`): in a note of a dozen lines they took the room of
 * the values compared, and the model named its next test `'# Subtest: freeSlots with bookings'`.
 */
const tapBookkeeping = /^\s*(# Subtest:|---$|\.\.\.$|duration_ms:|type: 'test'$|failureType:)/;

/** The first failure of `run` (test-summary.ts) in a few lines, each indented and cut to 120 characters. */
export function failureSummary(run: NonNullable<ToolResult['run']>): string[] {
  return summarizeTestOutput(run.stdout, run.stderr, { passed: false, maxChars: 900, maxHits: 6, tailLines: 2 })
    .split('\n')
    .filter((l) => l.trim() && !tapBookkeeping.test(l))
    .slice(0, maxFailureLines)
    .map((l) => `  ${l.length > 120 ? `${l.slice(0, 117)}...` : l}`);
}

/**
 * How a failing run (`result`, judged) failed, for a comment above code written afresh: what the
 * task expects of its output and what it printed, when that is why (expected-output.ts), else its
 * first failure.
 */
export function failureNoteLines(result: ToolResult): string[] {
  const run = result.run;
  if (!run || runPassed(run)) return [];
  const said = run.missingOutput !== undefined ? result.forModel.split('\n', 1)[0] : '';
  return said ? wrappedLines(`The last run failed: ${said}`) : ['The last run failed:', ...failureSummary(run)];
}

/** `how` with the first failure of `run` (test-summary.ts) added to its notes: how the try before failed. */
function withFailure(how: Pick<RewriteHow, 'notes'>, run: NonNullable<ToolResult['run']>): Pick<RewriteHow, 'notes'> {
  if (!how.notes) return how;
  const summary = failureSummary(run);
  if (summary.length === 0) return how;
  return { notes: { ...how.notes, lines: [...how.notes.lines, '', 'The tests failed with the code tried before:', ...summary] } };
}

/**
 * Tokens a stubbed body may take: its stub is a line, so the rewrite's usual bound (about the old
 * body's length) cut c-human-size's format_size off mid-loop, and the cut body did not parse.
 */
const stubBodyTokens = 768;

/** Samples tried for a stubbed body whose greedy body is the stub again, or does not parse. */
const stubRetries = 2;

/** Samples tried at most per function after the greedy rewrites (each costs a generation and a test run; the prompt is reused). */
const maxSamples = 6;

/**
 * Of the functions written in `path`, the ones worth sampling again: those a compiler error in
 * `output` points into (`path:line`), else those the failing tests call (failing-tests.ts; the
 * tests among `texts`), else all of them.
 */
function suspects(output: string, texts: ReadonlyMap<string, string>, defs: SymbolDef[], path: string, spans: Spans): SymbolDef[] {
  const lines = linesNamed(withoutWarnings(output), path);
  const pointed = defs.filter((d) => lines.some((line) => line >= spans.at(d).line && line <= spans.at(d).endLine));
  if (pointed.length > 0) return pointed;
  const tests = [...texts].filter(([file]) => isTestPath(file)).map(([file, text]) => ({ path: file, text }));
  const calls = callsOfFailingTests(output, tests);
  const called = defs.filter((d) => calls.includes(d.name));
  return called.length > 0 ? called : defs;
}

/**
 * `output` without a compiler's warnings: GCC's and javac's `file:12:5: warning:` lines, and rustc's
 * `--> file:12:5` under a `warning:` heading. A warning points at a line that built (c-human-size's
 * -Woverflow in parse_size, when format_size's body was what crashed the run).
 */
export function withoutWarnings(output: string): string {
  let warning = false;
  return output
    .split('\n')
    .filter((line) => {
      if (/^(?:warning|error)(?:\[\w+\])?:/.test(line)) warning = line.startsWith('warning');
      if (/:\d+(?::\d+)?: warning:/.test(line)) return false;
      return !(warning && /^\s*-->/.test(line));
    })
    .join('\n');
}

/** Where functions of one file are while their bodies are rewritten: a rewrite moves the lines of those below it. */
class Spans {
  private readonly now = new Map<SymbolDef, SymbolDef>();
  constructor(defs: SymbolDef[]) {
    for (const def of defs) this.now.set(def, { ...def });
  }
  /** `def` as it is in the text now. */
  at(def: SymbolDef): SymbolDef {
    return this.now.get(def) ?? def;
  }
  /** `added` lines went in at 0-based line `at` (includes at the top): what is at or below it moves down. */
  inserted(at: number, added: number): void {
    for (const span of this.now.values()) {
      if (span.line - 1 >= at) span.line += added;
      if (span.endLine - 1 >= at) span.endLine += added;
    }
  }
  /** `def`'s body went from `before` to `after`: it and what follows it move by the difference in lines. */
  rewrote(def: SymbolDef, before: string, after: string): void {
    const delta = after.split('\n').length - before.split('\n').length;
    const at = this.at(def).line;
    for (const span of this.now.values()) {
      if (span.line > at) span.line += delta;
      if (span.endLine >= at) span.endLine += delta;
    }
  }
}

/**
 * The project's functions (in files of `texts`) that `def`'s old body called and `body` no longer
 * calls, in the order the old body called them.
 */
async function droppedCallees(
  ctx: ToolContext,
  index: RepoIndex,
  texts: Map<string, string>,
  def: SymbolDef,
  path: string,
  body: NewBody,
): Promise<Array<{ path: string; def: SymbolDef }>> {
  const now = new Set(calledNames(body.after));
  const out: Array<{ path: string; def: SymbolDef }> = [];
  for (const name of calledNames(body.before)) {
    if (now.has(name) || name === def.name) continue;
    for (const other of await codeDefsNamed(ctx, index, texts, name))
      if (!(other.path === path && other.line === def.line)) out.push({ path: other.path, def: other });
  }
  return out;
}

/** Logs a try: what was written (`how`: greedy, which sample, …) and how the tests went with it. */
function logTry(options: InfillRepairOptions, what: string, how: string, tried: ToolResult | undefined, body: string): void {
  const outcome = !tried
    ? 'not run (why: the line before)'
    : !tried.run
      ? 'not run'
      : runPassed(tried.run)
        ? 'the tests pass'
        : tried.run.timedOut
          ? 'the tests did not finish (timed out)'
          : `the tests fail (${failureCount(`${tried.run.stdout}\n${tried.run.stderr}`) ?? 'count unknown'} failing)`;
  options.log?.(`Code completion tried ${what} (${how}): ${outcome}.`, { body });
}

/** A try's run, and the text it ran with: the body's, plus the includes the compiler asked for (`added` lines at 0-based `at`). */
type Tried = ToolResult & { text: string; inserted?: { at: number; added: number } };

/**
 * The tests run with `after` as the text of `path`, staged only (nothing written); undefined when
 * the change does not parse. When the run fails for includes or imports the compiler names
 * (missing-imports.ts), they are added and the tests run again.
 */
async function tryChange(options: InfillRepairOptions, path: string, after: string): Promise<Tried | undefined> {
  const { ctx } = options;
  const staged = async (text: string) => {
    const change = await ctx.workspace.proposeChange(path, text);
    const refused =
      change.before === change.after
        ? 'it changes nothing'
        : syntaxGate([change], ctx.config.index.maxFileBytes)
          ? 'it does not parse'
          : (ctx.holdChange?.([change])?.split(/\.\s/)[0] ??
            (options.testLines && copiesTests(change.before ?? '', change.after ?? '', options.testLines) ? 'it copies the tests' : undefined));
    if (refused) {
      // (ruby-semver's fill was held, for an initialize that copied the stubs' "not implemented yet", and the log said "does not parse")
      options.log?.(`A try in ${path} was not run: ${refused}.`, {});
      return undefined;
    }
    return withStaged(ctx.workspace, [change], options.runTests);
  };
  const tried = await staged(after);
  if (!tried) return undefined;
  if (!tried.run || runPassed(tried.run)) return { ...tried, text: after };
  const output = `${tried.run.stdout}\n${tried.run.stderr}`;
  const wanted = missingImports(output)
    .filter((m) => namesFile(m.file, path))
    .map((m) => m.line);
  // a variable declared again becomes an assignment (redeclared.ts; a line for a line, so no function moves)
  const assigned = asAssignments(path, after, output);
  // a name misspelt that the error suggests another for (did-you-mean.ts; a line for a line too), not
  // beside a missing include: g++ suggested `word` for the `words` a vector it could not find left undeclared
  const renamed = wanted.length || assigned ? undefined : withSuggestedNames(path, after, output);
  const withLines = withImports(renamed?.text ?? assigned?.text ?? after, wanted);
  if (withLines.added === 0 && !assigned && !renamed) return { ...tried, text: after };
  const again = await staged(withLines.text);
  if (!again?.run) return { ...tried, text: after };
  // (a suggestion that makes more tests fail was the wrong name: the try stands as it ran)
  if (renamed && !runPassed(again.run) && failingIn(again.run) > failingIn(tried.run)) return { ...tried, text: after };
  const what = [
    ...(withLines.added > 0 ? [`added ${wanted.map((l) => `\`${l}\``).join(', ')}`] : []),
    ...(assigned ? [assigned.what] : []),
    ...(renamed ? [renamed.what] : []),
  ].join('; ');
  options.log?.(`Fixed what the compiler named in ${path} (${what}) and ran the tests again.`, {});
  return { ...again, text: withLines.text, inserted: withLines.added > 0 ? { at: withLines.at, added: withLines.added } : undefined };
}

/** Proposes the change that helped (approval, apply); its look carries the run that showed it. */
async function applyRepair(
  options: InfillRepairOptions,
  path: string,
  after: string,
  bodies: ReadonlyArray<Pick<NewBody, 'before' | 'after'>>,
  what: string,
  tried: ToolResult,
): Promise<RepairLook | undefined> {
  const { ctx } = options;
  const applied = await proposeAndApply(ctx, async () => [await ctx.workspace.proposeChange(path, after)]);
  if (applied.error || !applied.edit?.applied.length) return undefined;
  const run = tried.run!;
  const passed = runPassed(run);
  const count = failureCount(`${run.stdout}\n${run.stderr}`);
  const verdict = passed ? 'the tests pass with it' : `tests still fail with it (${count ?? 'count unknown'} failing)`;
  // (the verdict is the run's to tell, not the thought's: a small model copies an earlier thought and
  // then claimed "fewer tests fail with it (0 failing)" of its own edits before running them, rust-keypad)
  const action: Action = {
    thought: `I write ${what} in ${path} afresh by code completion, then run the tests with it.`,
    tool: options.editTool,
    args: { path, edits: bodies.map((b) => ({ find: `${b.before}\n`, replace: `${b.after}\n` })) },
  };
  const result: ToolResult = {
    ...applied,
    forModel: `${applied.forModel}\nThen the tests ran with it (${run.command}): ${verdict}.\n${tried.forModel}`,
    run,
  };
  const summary = `${what} in ${path} ${bodies.length > 1 ? 'were' : 'was'} written afresh by code completion: ${
    passed ? `${run.command} passes with it` : `tests still fail with it (${run.command})`
  }.`;
  return { action, result, summary };
}

/** `look` marked as a step on the way (fewer tests failing, not none). */
function asStep(look: RepairLook | undefined): RepairLook | undefined {
  return look && { ...look, partial: true };
}
