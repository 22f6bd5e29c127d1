/**
 * Task intake: what a careful developer looks at before the first change, done by the agent
 * before the model's first step, so even a small model starts from the facts. The files the task
 * names (by path, by a unique file name, or by a symbol the index knows) are read, and for a task
 * about failures or tests the project's tests are run once and their failures shown, then the code
 * those failures are about (not the tests: the files their output names, or that define the names
 * it uses) is read too. A bug report that names a command that misbehaves, in a project without
 * tests to run, gets that command run instead. A question that names no file is followed from where
 * its search points through the calls it is about (call-trace.ts). Each comes into the conversation as an action of
 * the model with its observation, in the protocol the model writes, so the model also sees how the
 * tools are called.
 * Sized by a token budget.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { RepoIndex, SymbolDef } from '../../index/repo-index.ts';
import type { Action } from '../../model/language-model.ts';
import { toolForRole, type Tool, type ToolContext, type ToolResult } from '../../../tools/tool.ts';
import path from 'node:path';
import { isTestPath, testedName } from '../../languages/test-files.ts';
import { escapeRegex } from '../../workspace/search-query.ts';
import { filesMentioned, identifiersIn } from '../project-context.ts';
import { filesNamedIn } from './task-files.ts';
import { findTerms, likeliestFiles, routeLinePattern, searchTermsIn, tellingTerms, type TermHits } from './intake-search.ts';
import { callPattern, changesSignature, signatureTarget } from '../refactor/call-sites.ts';
import { callChain, definitionAt, settingsRead, traceCalls, type TracedCode } from '../answers/call-trace.ts';
import { executeTool } from '../tool-call.ts';
import { secretReason } from '../../../tools/secret-files.ts';
import { judgeExpectedOutput } from './expected-output.ts';
import { callsOfFailingTests, failingTestBodies, failingTestNames, testRanges } from './failing-tests.ts';
import { calledNames } from '../../../tools/callees-note.ts';
import { exampleRange, exampleTest } from '../test-writing/new-test-file.ts';
import { assignedAt, valueNames } from '../answers/question-values.ts';
import { countedMembers, countedNote } from '../answers/counted-members.ts';
import { runPassed } from '../attempts.ts';

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
  /** Else run this command first: the one a bug report says misbehaves (`runCommandNamedIn`). */
  runCommand?: string;
  /** What the request says that command must print (see expected-output.ts): a clean exit without it is a failing run. */
  expectOutput?: { command: string; output: string };
  /** Tokens the intake may add to the prompt, all steps together. */
  budgetTokens: number;
  countTokens(text: string): number;
  /** Files at most (default 3). */
  maxFiles?: number;
  /** Files of the code under test read after failing tests, at most (default 2). */
  maxCodeFiles?: number;
  /** A request for new tests: one of the project's tests is read too, to write them like it (new-test-file.ts). */
  exampleTest?: boolean;
  /** A question: where the search points, the calls are followed (call-trace.ts) instead of reading the file whole. */
  followCalls?: boolean;
}

/** The files the index knows; none when there is no index or it cannot answer. */
export function indexedFiles(index: RepoIndex | undefined): string[] {
  try {
    return index?.files() ?? [];
  } catch {
    return [];
  }
}

/**
 * The files `task` is about, existing ones only, best first: paths and file names it names, then
 * the files defining the code identifiers it names (when the index knows them).
 */
export function taskFiles(
  task: string,
  exists: (path: string) => boolean,
  index?: RepoIndex,
  max = 3,
  textOf?: (path: string) => string | undefined,
): string[] {
  const out: string[] = [];
  const add = (file: string) => {
    if (out.length < max && !out.includes(file) && exists(file)) out.push(file);
  };
  const indexed = indexedFiles(index);
  for (const file of indexed.length ? filesMentioned(task, indexed) : []) add(file);
  for (const file of filesNamedIn(task)) add(file.replace(/^\.\//, ''));
  if (index) {
    for (const name of identifiersIn(task)) {
      try {
        const defined = [...new Set(index.symbols(name, { maxRefs: 0 }).defs.map((d) => d.path))];
        if (defined.length > 0) add(likeliestDefinition(defined, [task, ...out.map((f) => textOf?.(f) ?? '')].join('\n')));
      } catch {
        // an index that cannot answer adds nothing
      }
    }
  }
  return out;
}

/** How code elsewhere names a file's module: `tally/db/entries.py` as tally/db/entries, tally.db.entries, ./entries... */
function moduleNames(file: string): string[] {
  const bare = file.replace(/\.[^./]+$/, '').replace(/\/(index|__init__|mod)$/, '');
  return [bare, bare.replace(/\//g, '.'), bare.replace(/\//g, '::')];
}

const codeExtension = String.raw`(?:\.(?:[cm]?[jt]sx?|py|rb|go|rs|java|kt|c|h|cc|cpp|hpp|php|cs|swift|scala|sh))?`;

/** Whether `text` imports or names `file` as a module (`tally.db.entries`, `../src/db/rooms.ts`), not a longer one. */
export function namesModule(text: string, file: string): boolean {
  return moduleNames(file).some(
    (m) => /[/.:]/.test(m) && text.includes(m) && new RegExp(String.raw`(?<![\w./-])(?:\.{1,2}/)*${escapeRegex(m)}${codeExtension}(?![\w./-])`).test(text),
  );
}

/**
 * Which of several files defining a name the task means: one whose module the task or the files
 * read so far import or mention (the test imports `tally.db.entries`, not the CLI command of the
 * same name), else the first that is not a test.
 */
export function likeliestDefinition(files: readonly string[], context: string): string {
  if (files.length === 1) return files[0];
  const named = files.find((f) => namesModule(context, f));
  return named ?? files.find((f) => !isTestPath(f)) ?? files[0];
}

/** Words of `text` that may name code: identifiers of three or more characters, first seen first. */
function wordsIn(text: string, max: number): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z_$][A-Za-z0-9_$]{2,}/g)) {
    found.add(match[0]);
    if (found.size >= max) break;
  }
  return [...found];
}

/**
 * The code a failing test run is about, best first, not counting test files or `known` ones:
 * the file a failing test is named for (and imports), project files its output names (a traceback's
 * frames), then the files the failing tests import
 * (the test files read, and those the output names, when `textOf` can read them), ranked by the
 * names of the output and the tests they define (a name defined in one file counts more than one
 * defined in three; `Cart`, `total`), else the files defining those names, when the index knows them.
 * With `evidence.failing` (the bodies of the failing tests) the names are theirs alone (the output
 * of a whole run names fixtures and the code of passing tests around them), and a file the tests
 * import that defines none of them is left out (a test file imports for all its tests, and each file
 * read is read again before every step). A name the index knows only as a variable counts for
 * nothing: it is a local more often than not (`conn`).
 */
export function codeUnderTest(
  evidence: { output: string; tests: string; failing?: string },
  known: readonly string[],
  exists: (path: string) => boolean,
  index?: RepoIndex,
  max = 2,
  textOf?: (path: string) => string | undefined,
): string[] {
  const out: string[] = [];
  const take = (file: string) => !out.includes(file) && !known.includes(file) && !isTestPath(file) && exists(file);
  const indexed = indexedFiles(index);
  const mentioned = indexed.length ? filesMentioned(evidence.output, indexed) : [];
  const named = [...mentioned, ...filesNamedIn(evidence.output).map((f) => f.replace(/^\.\//, ''))];
  // the file a failing test is named for, when it imports it (test/bookings-repo.test.ts: src/db/bookings-repo.ts), before
  // the files the output names (its stack frames may be a wrapper's: src/db/database.ts's transaction)
  const failing = mentioned.filter(isTestPath);
  const testText = [evidence.tests, ...failing.map((f) => textOf?.(f) ?? '')].join('\n');
  const testedNames = new Set(failing.map(testedName));
  for (const file of indexed) if (out.length < max && testedNames.has(path.posix.parse(file).name) && take(file) && namesModule(testText, file)) out.push(file);
  for (const file of named) if (out.length < max && take(file)) out.push(file);
  if (!index || out.length >= max) return out;
  const hits = new Map<string, number>();
  for (const name of wordsIn(evidence.failing ?? `${evidence.output}\n${evidence.tests}`, 80)) {
    let defs: Array<{ path: string }> = [];
    try {
      defs = index.symbols(name, { maxRefs: 0 }).defs.filter((d) => d.kind !== 'variable');
    } catch {
      continue; // an index that cannot answer adds nothing
    }
    // a name defined all over the project says nothing about where the fault is
    const files = [...new Set(defs.map((d) => d.path))];
    if (files.length > 3) continue;
    for (const file of files) hits.set(file, (hits.get(file) ?? 0) + 1 / files.length);
  }
  // what the failing tests import is what they test (`from tally.db.entries import`, `../src/db/bookings-repo.ts`)
  const imported = indexed.filter((f) => take(f) && namesModule(testText, f));
  const score = (file: string) => hits.get(file) ?? 0;
  const ranked = imported.length ? imported.sort((a, b) => score(b) - score(a)) : [...hits.keys()].sort((a, b) => score(b) - score(a));
  for (const file of ranked) if (out.length < max && take(file) && (evidence.failing === undefined || score(file) > 0)) out.push(file);
  return out;
}

/** A code file longer than this that failing tests call into is read where they call it, not whole. */
const focusedReadLines = 100;

/**
 * The lines of `file` (its text `text`) that define what the failing tests call (`calls`: functions
 * and methods the index knows there) and what those call in the same file (the fault is often one
 * call down: `list_entries` and the `where` it builds its query with), a line of margin around
 * them; undefined when the file is short, defines none of them, or they take up most of it: then it
 * is read whole. On a CPU every line shown is read again before each step (two 150-line
 * repositories read whole for two failing listings: 4,300 tokens, about 70 s).
 */
export function linesCalled(index: RepoIndex | undefined, file: string, text: string, calls: readonly string[]): { from: number; to: number } | undefined {
  const lines = text.split('\n');
  const total = lines.length;
  if (!index || total <= focusedReadLines || calls.length === 0) return undefined;
  let defs: Array<{ name: string; kind: string; line: number; endLine: number }> = [];
  try {
    const functions = (index.outline(file) ?? []).filter((d) => d.kind === 'function' || d.kind === 'method');
    const called = functions.filter((d) => calls.includes(d.name));
    const below = new Set(called.flatMap((d) => calledNames(lines.slice(d.line, d.endLine).join('\n'))));
    defs = [...called, ...functions.filter((d) => below.has(d.name))];
  } catch {
    return undefined;
  }
  if (defs.length === 0) return undefined;
  const from = Math.max(1, Math.min(...defs.map((d) => d.line)) - 1);
  const to = Math.min(total, Math.max(...defs.map((d) => d.endLine)) + 1);
  return to - from + 1 > total * 0.6 ? undefined : { from, to };
}

/**
 * The lines of a test file (its text `text`) that hold the tests `names` (those a request quotes as
 * failing: `FAILED tests/test_db.py::test_list_entries_date_range_is_inclusive`), a line of margin
 * around them; undefined when the file is short, holds none of them, or they take up most of it.
 */
export function linesOfTests(text: string, names: readonly string[]): { from: number; to: number } | undefined {
  const total = text.split('\n').length;
  if (total <= focusedReadLines || names.length === 0) return undefined;
  const ranges = testRanges(names, text);
  if (ranges.length === 0) return undefined;
  const from = Math.max(1, Math.min(...ranges.map((r) => r.from)) - 1);
  const to = Math.min(total, Math.max(...ranges.map((r) => r.to)) + 1);
  return to - from + 1 > total * 0.6 ? undefined : { from, to };
}

/** Documentation: not the code to read where a search points, nor to start a trace in. */
const docFile = /\.(md|markdown|rst|txt|adoc)$/i;

/**
 * The code a question's search hits lead to (call-trace.ts): for each telling term (two at most),
 * the function its first hit in a code file names or sits in, then what those call.
 */
export function traceFromHits(
  index: RepoIndex,
  telling: readonly TermHits[],
  question: string,
  textOf: (path: string) => string | undefined,
  secretPatterns: readonly string[] = [],
): TracedCode[] {
  const starts: SymbolDef[] = [];
  for (const { lines } of telling.slice(0, 2)) {
    for (const { path: file, line } of lines) {
      if (docFile.test(file) || secretReason(file, secretPatterns)) continue;
      const def = definitionAt(index, file, line, textOf(file) ?? '');
      if (def) {
        if (!starts.some((s) => s.path === def.path && s.line === def.line)) starts.push(def);
        break;
      }
    }
  }
  return starts.length ? traceCalls(index, starts, question, textOf) : [];
}

/** The path a look-up step read ('' for a step that is not a read). */
const readPath = (step: IntakeStep): string => String((step.action.args as { path?: unknown }).path ?? '');

/** Reads the task's files and, when asked, runs the tests, then reads the code they fail on, within the budget. Never throws. */
export async function taskIntake(options: IntakeOptions): Promise<IntakeStep[]> {
  const { ctx, tools } = options;
  const steps: IntakeStep[] = [];
  let left = options.budgetTokens;
  const cost = (step: IntakeStep) => options.countTokens(step.result.forModel) + 40;
  const reader = toolForRole(tools, 'readFile');
  const read: string[] = [];
  const exists = (file: string) => {
    try {
      return statSync(ctx.workspace.resolve(file)).isFile();
    } catch {
      return false; // missing, or outside the project
    }
  };
  /** Reads `file` (at `lines`); false when the budget is spent (the reads stop), true otherwise. */
  const readOne = async (file: string, why: string, lines?: { from: number; to: number }): Promise<boolean> => {
    if (!reader) return false;
    // the first code file is read even past the budget: after a test file and two searches, the
    // config.py that pyapp-fix-env-override's failing tests load was left out, and the model edited tally.toml
    const spent = () => steps.length > 0 && (isTestPath(file) || read.some((f) => !isTestPath(f)));
    if (ctx.signal.aborted || (left <= 0 && spent())) return false;
    const args = reader.call(file, lines);
    const result = await executeTool(reader.tool, args, ctx);
    if (result.error) return true;
    const step = { action: { thought: why, tool: reader.tool.name, args }, result };
    if (cost(step) > left && spent()) return false;
    left -= cost(step);
    steps.push(step);
    read.push(file);
    return true;
  };
  const readFiles = async (files: string[], why: (file: string) => string, where?: (file: string) => { from: number; to: number } | undefined) => {
    for (const file of files) if (!(await readOne(file, why(file), where?.(file)))) break;
  };
  // the head of a file is where it imports from; a huge file named in the task is not read whole
  // (read once each: the trace and the settings look at the same few files again and again; the intake changes none)
  const heads = new Map<string, string | undefined>();
  const textOf = (file: string) => {
    if (heads.has(file)) return heads.get(file);
    let fd: number | undefined;
    let text: string | undefined;
    try {
      fd = openSync(ctx.workspace.resolve(file), 'r');
      const head = Buffer.alloc(64 * 1024);
      text = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('utf8');
    } catch {
      // missing, or outside the project
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    heads.set(file, text);
    return text;
  };
  const named = taskFiles(options.task, exists, options.index, options.maxFiles ?? 3, textOf);
  // a long file is read where the task points: a test file at the failing tests it quotes, code
  // found by a name the task gives (not by its path) at that name and what it calls in the file
  const byPath = new Set([...filesMentioned(options.task, indexedFiles(options.index)), ...filesNamedIn(options.task).map((f) => f.replace(/^\.\//, ''))]);
  const taskNames = identifiersIn(options.task);
  const quotedTests = [...failingTestNames(options.task), ...taskNames];
  await readFiles(
    named,
    (file) => `First I read ${file}, which the task is about.`,
    (file) =>
      isTestPath(file)
        ? linesOfTests(textOf(file) ?? '', quotedTests)
        : byPath.has(file)
          ? undefined
          : linesCalled(options.index, file, textOf(file) ?? '', taskNames),
  );
  const searcher = toolForRole(tools, 'searchText');
  // (two quotes of one message, "server.host: is missing" and "server.maxBodyBytes: is missing",
  // came down to one search, shown twice)
  const searched = new Set<string>();
  /** Runs one search not run before; false when the budget is spent (the searches stop). */
  const searchOnce = async (args: Record<string, unknown>, thought: string): Promise<boolean> => {
    const key = JSON.stringify(args);
    if (!searcher || searched.has(key)) return true;
    searched.add(key);
    const result = await executeTool(searcher.tool, args, ctx);
    if (result.error) return true;
    const step = { action: { thought, tool: searcher.tool.name, args }, result };
    if (cost(step) > left) return false;
    left -= cost(step);
    steps.push(step);
    return true;
  };
  // a new signature changes every call: where they are (call-sites.ts)
  const called = searcher && options.index && changesSignature(options.task) ? signatureTarget(taskNames, options.index) : undefined;
  if (called && !ctx.signal.aborted) {
    const found = searcher!.call(callPattern(called), true, true);
    // (a call's arguments run on over the next lines)
    await searchOnce(
      'contextLines' in found ? { ...found, contextLines: 2 } : found,
      `I search for every call of ${called}: its new signature changes them all.`,
    );
  }
  const subject = read.find((file) => !isTestPath(file));
  if (options.exampleTest && subject && !ctx.signal.aborted) {
    const tests = indexedFiles(options.index)
      .filter((file) => isTestPath(file) && !read.includes(file))
      .map((file) => ({ path: file, text: textOf(file) }));
    const example = exampleTest(subject, tests);
    if (example)
      await readFiles(
        [example],
        () => `I read ${example}, one of the project's tests, to write the new tests the same way.`,
        () => exampleRange(textOf(example) ?? ''),
      );
  }
  // (a document named, README.md to be written "from the code", is not the code: ts-doc-readme-config's
  // model, shown only the README, wrote a table of settings the code does not have)
  const noCodeRead = () => read.every((file) => isTestPath(file) || docFile.test(file));
  if (searcher && noCodeRead() && !ctx.signal.aborted) {
    // no code named: grep what the request quotes or names (a message, a route, a setting), then read where it points
    const hits = await findTerms(ctx.root, searchTermsIn(options.task), ctx.signal);
    const telling = tellingTerms(hits);
    for (const { term } of telling) {
      if (ctx.signal.aborted || left <= 0) break;
      const args = term.method ? searcher.call(routeLinePattern(term.text, term.method), false, true) : searcher.call(term.text, term.kind === 'name');
      if (!(await searchOnce(args, `I search the code for ${JSON.stringify(term.text)}, from the task.`))) break;
    }
    // the code, not its docs, and never a file that looks like a secret (reading one would ask the person)
    const where = likeliestFiles(hits).filter(
      (file) => !read.includes(file) && exists(file) && !docFile.test(file) && !secretReason(file, ctx.config.secrets.patterns),
    );
    // a question: the code where the search points, and what it calls that the question is about
    let traced: TracedCode[] = [];
    try {
      if (options.followCalls && options.index) traced = traceFromHits(options.index, telling, options.task, textOf, ctx.config.secrets.patterns);
    } catch {
      // an index that cannot answer: the file where the search points is read whole, as for any request
    }
    const followed: TracedCode[] = [];
    for (const code of traced) {
      const why = code.caller
        ? `I read ${code.name} in ${code.path}, which ${code.caller} calls.`
        : `I read ${code.name} in ${code.path}, where the search points.`;
      const before = steps.length;
      if (!(await readOne(code.path, why, { from: code.from, to: code.to }))) break;
      if (steps.length > before) followed.push(code);
    }
    const last = steps.at(-1);
    if (followed.length > 1 && last) last.result = { ...last.result, forModel: `${last.result.forModel}\nThe calls followed: ${callChain(followed)}.` };
    // and, for a question about defaults or configuration, where the settings that code reads get their values (a default, an
    // environment variable); not for others: the model took up "I search the code for X, a setting the code above reads" for words of its own
    const aboutSettings = /\b(?:defaults?|config\w*|settings?|environment|env)\b/i.test(options.task);
    const settings = aboutSettings && followed.length && options.index ? settingsRead(options.index, followed, options.task, textOf) : [];
    for (const name of settings.filter((n) => !searched.has(JSON.stringify(searcher.call(n, true)))).slice(0, 2)) {
      if (ctx.signal.aborted || left <= 0) break;
      if (!(await searchOnce(searcher.call(name, true), `I search the code for ${name}, a setting the code above reads.`))) break;
    }
    if (traced.length === 0) await readFiles(where.slice(0, 1), (file) => `I read ${file}, where the search points.`);
  }
  // after a failing run: the code it is about, then what that code calls (the fault is often one call down)
  const readCodeUnder = async (run: { stdout: string; stderr: string }, why: (file: string) => string) => {
    const tests = steps.filter((s) => s.action.tool === reader?.tool.name && isTestPath(readPath(s)));
    const output = `${run.stdout}\n${run.stderr}`;
    // the tests the intake read, and those the output names
    const testFiles = [...new Set([...tests.map(readPath), ...filesMentioned(output, indexedFiles(options.index)).filter(isTestPath)])].map((file) => ({
      path: file,
      text: textOf(file) ?? '',
    }));
    const bodies = failingTestBodies(failingTestNames(output), testFiles);
    const evidence = { output, tests: tests.map((s) => s.result.forModel).join('\n'), ...(bodies.length ? { failing: bodies.join('\n') } : {}) };
    const max = options.maxCodeFiles ?? 2;
    const code = codeUnderTest(evidence, read, exists, options.index, max, textOf);
    // a long file where the failing tests call into it
    const calls = callsOfFailingTests(output, testFiles);
    await readFiles(code, why, (file) => linesCalled(options.index, file, textOf(file) ?? '', calls));
    const codeText = steps.filter((s) => code.includes(readPath(s))).map((s) => s.result.forModel);
    if (code.length > 0 && code.length < max) {
      const callees = codeUnderTest({ output: '', tests: codeText.join('\n') }, read, exists, options.index, max - code.length);
      await readFiles(callees, (file) => `I read ${file} too: the code under test calls into it.`);
    }
  };
  const failed = (run: ToolResult['run']) => !!run && !runPassed(run);
  const tester = toolForRole(tools, 'runTests');
  const runner = toolForRole(tools, 'runCommand');
  if (options.runTests && tester && !ctx.signal.aborted) {
    const args = tester.call();
    const result = await executeTool(tester.tool, args, ctx);
    if (!result.error || result.run)
      steps.push({ action: { thought: 'I run the tests to see what fails before changing anything.', tool: tester.tool.name, args }, result });
    if (failed(result.run)) await readCodeUnder(result.run!, (file) => `The tests fail; I read ${file}, the code they test.`);
  } else if (options.runCommand && runner && !ctx.signal.aborted) {
    // a bug report that names what misbehaves (`java -cp out Main` prints a wrong count): see what it does now
    const args = runner.call(options.runCommand);
    const result = judgeExpectedOutput(await executeTool(runner.tool, args, ctx), options.expectOutput);
    if (result.run) {
      steps.push({ action: { thought: 'I run the command the task names to see what it does now.', tool: runner.tool.name, args }, result });
      if (failed(result.run)) await readCodeUnder(result.run, (file) => `The command fails; I read ${file}, the code it runs.`);
    }
  }
  if (reader && noCodeRead() && options.index?.rankFiles && !ctx.signal.aborted) {
    // still no code (none named, no telling search hit, no failing run pointing at it): the code file
    // whose words match the request best (the words of a bug report are each in
    // many files; the code at fault holds most of them together)
    let ranked: string[] = [];
    try {
      ranked = options.index.rankFiles(options.task, 5);
    } catch {
      // no ranking: the model looks for itself
    }
    const best = ranked.filter(
      (file) => !isTestPath(file) && !docFile.test(file) && !read.includes(file) && exists(file) && !secretReason(file, ctx.config.secrets.patterns),
    );
    await readFiles(best.slice(0, 1), (file) => `I read ${file}, the code whose words match the request best.`);
  }
  if (options.followCalls && reader && !ctx.signal.aborted) {
    // a question: where a value it asks about in other words is set, when the code shown only uses it (question-values.ts)
    const shown = steps
      .filter((s) => s.action.tool === reader.tool.name)
      .map((s) => s.result.forModel)
      .join('\n');
    for (const name of valueNames(options.task, shown)) {
      const at = await assignedAt(ctx.root, name, ctx.signal);
      if (!at || secretReason(at.path, ctx.config.secrets.patterns)) continue;
      if (!(await readOne(at.path, `I read where ${name} is set, in ${at.path}: the code above uses it.`, { from: at.line, to: at.line }))) break;
    }
    // a question that asks how many: the members of what it names, counted in the syntax tree, told
    // before the read of their file (after it, a long file's cut would take it off: counted-members.ts)
    const texts = (file: string) => ctx.workspace.readText(file).catch(() => undefined);
    for (const counted of await countedMembers(options.task, options.index, texts)) {
      const { def } = counted;
      if (secretReason(def.path, ctx.config.secrets.patterns)) continue;
      let step = steps.find((s) => s.action.tool === reader.tool.name && readPath(s) === def.path);
      if (!step && (await readOne(def.path, `I read ${def.name}, which the question asks about.`, { from: def.line, to: def.endLine }))) step = steps.at(-1);
      if (step && readPath(step) === def.path) step.result = { ...step.result, forModel: `${countedNote(counted)}\n${step.result.forModel}` };
    }
  }
  return steps;
}
