/**
 * A new test file asked for, written first by code completion: the file the request names (or the
 * project's conventions give), the request as a comment at its top, with the code under test and a
 * test of the project before it (the files the intake showed), as a developer writes tests with the
 * code and a neighbouring test open. In the codebases the 1.5B model's own steps took 30-150 s each
 * and wrote a copy of the code under test, or none, in the time (pyapp-test-export: a whole
 * write_file of export.py's functions after 3 steps; ts-add-test-availability: none).
 *
 * The tests are there to hold the code as it is, so a written test that fails against it is wrong,
 * not the code: each failing test is taken out and the rest run again; the file is kept only when
 * what is left passes and holds a test. It is proposed like any change (syntax gate, approval).
 */
import type { FileChange } from '../../workspace/approval.ts';
import { syntaxGate, withStaged } from '../../../tools/change-flow.ts';
import { sampling, type ToolContext, type ToolResult } from '../../../tools/tool.ts';
import { ModelError } from '../../model/language-model.ts';
import { escapeRegex } from '../../workspace/search-query.ts';
import { failingTestNames, testRanges } from '../intake/failing-tests.ts';
import { requestAbove } from '../completion/infill-repair.ts';
import { testSites, type TestSite } from './test-sites.ts';
import { testsByCase, withCaseTests } from './case-tests.ts';
import { withMutantTests } from './mutant-tests.ts';
import { closedBlocks } from './cut-blocks.ts';
import { runPassed } from '../attempts.ts';

export interface TestFileFillOptions {
  task: string;
  ctx: ToolContext;
  /** The new test file (it does not exist yet). */
  path: string;
  /** Runs the project's tests with what is staged. */
  runTests: () => Promise<ToolResult>;
  /** Time for all tries together. */
  timeoutMs: number;
  /** assist's certain corrections of a test file (test-writing.ts: a copy of the code under test gives way to its import). */
  amend?: (change: FileChange) => Promise<FileChange>;
  /**
   * What a failing run names that assist fixes for certain in the file's `text` (compiler-fixes.ts:
   * `package clamp_test` → `package clamp`; in tests of code kept as it is, what a test expects set
   * to what the code returns); undefined when nothing.
   */
  fix?: (text: string, output: string) => Promise<{ text: string; what: string } | undefined>;
  /** The file the tests are of: broken a branch at a time, it must make a test of the new file fail (mutant-tests.ts). */
  subject?: string;
  /** The project's test files: left out of the runs against broken copies of the subject, where only the new file's tests count. */
  projectTests?: readonly string[];
  /** Names the code under test defines: a written test that uses none of them tests something else and is taken out. */
  subjectNames?: readonly string[];
  /** The test-defining lines of the project's tests: a written test defined as one of them is a copy and is taken out. */
  existingTests?: readonly string[];
  log?: (message: string, detail: Record<string, unknown>) => void;
}

export interface TestFileFill {
  /** The new file, staged only. */
  change: FileChange & { after: string };
  /** The tests kept (their definition lines), and those taken out for failing against the code. */
  kept: string[];
  dropped: string[];
  /** The passing run with the file as kept. */
  run: NonNullable<ToolResult['run']>;
  /** Broken copies of the code under test run against the file (mutant-tests.ts), and how many of them its tests catch. */
  mutants?: { run: number; caught: number };
}

/** Files written at most: the most usual, then samples. */
const maxTries = 2;
/** Runs of one written file at most: as written, fixed for certain, then with the failing tests taken out. */
const maxRuns = 4;
/** Certain fixes of one written file at most (each a run after it). */
const maxFixes = 2;
/** Tokens a file may take to write (a handful of tests: 45-90 s on two cores in the codebases, the files before it read first). */
const maxFileTokens = 900;

/**
 * The top of the new file: the request as comments in the file's language (what the tests must
 * cover is in it), then the file's own text from there on is the model's.
 */
export function testFilePrefix(path: string, task: string): string | undefined {
  const comment = requestAbove(path, task)?.lineComment;
  if (!comment) return undefined;
  const lines = task
    .trim()
    .split('\n')
    .map((line) => `${comment} ${line}`.trimEnd());
  return `${comment} Tests for this request:\n${lines.join('\n')}\n\n`;
}

/**
 * `text` cut after its last complete test (what follows it unfinished is dropped: a last line with
 * no line end was cut at the token limit); undefined when it holds none. `before`: cut after the
 * last test that ends before this line (0-based) instead.
 */
export function upToLastTest(path: string, text: string, before = Number.POSITIVE_INFINITY): string | undefined {
  const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const last = testSites(path, whole)
    .filter((site) => site.end < before)
    .at(-1);
  if (!last) return undefined;
  const lines = whole.split('\n');
  // (a closer that ends an enclosing group, `});` of a describe, or `}` of a Rust module, comes after)
  let end = last.end;
  while (end + 1 < lines.length && /^[\s)}\];,]*$|^\s*end\s*$/.test(lines[end + 1])) end++;
  return `${lines
    .slice(0, end + 1)
    .join('\n')
    .replace(/\s+$/, '')}\n`;
}

/** `text` without the tests the run's output names as failing; with the definition lines of those taken out. */
export function withoutFailing(path: string, text: string, output: string): { text: string; dropped: string[] } {
  const names = failingTestNames(output);
  if (names.length === 0) return { text, dropped: [] };
  const lines = text.split('\n');
  const defs = new Set(testRanges(names, text).map((range) => range.from - 1));
  return dropSites(
    lines,
    testSites(path, text).filter((site) => defs.has(site.def)),
  );
}

/**
 * `text` without the tests that are not of the code under test: a copy of a project test (its
 * definition line is one of `existing`), one whose lines use none of `names` (when known), or one
 * whose body is only comments. The
 * example test nearest the gap was copied whole (ts-add-test-router: three tests of the request
 * validation, which pass whatever the router does).
 */
export function withoutOthers(
  path: string,
  text: string,
  names: readonly string[] | undefined,
  existing: readonly string[],
): { text: string; dropped: string[] } {
  const lines = text.split('\n');
  const copies = new Set(existing.map((line) => line.trim()));
  const uses = (site: TestSite) => {
    if (!names?.length) return true;
    const body = lines.slice(site.def, site.end + 1).join('\n');
    return names.some((name) => new RegExp(`(^|[^\\w$])${escapeRegex(name)}([^\\w$]|$)`).test(body));
  };
  // (a test of several lines whose body holds no code, only comments, is a placeholder: it passes
  // whatever the code does; ts-add-test-availability's file was two of them, `// Implement the test for freeSlots`)
  const empty = (site: TestSite) =>
    site.end > site.def && lines.slice(site.def + 1, site.end + 1).every((line) => /^\s*([)}\];,]*|end|pass|(\/\/|#|--|\/\*|\*).*)\s*$/.test(line));
  const others = testSites(path, text).filter((site) => copies.has(lines[site.def].trim()) || !uses(site) || empty(site));
  return dropSites(lines, others);
}

/** `lines` without the tests `sites` (and the blank lines after each), with the definition lines of those. */
function dropSites(lines: readonly string[], sites: readonly TestSite[]): { text: string; dropped: string[] } {
  const drop = new Set<number>();
  for (const site of sites) {
    for (let i = site.start; i <= site.end; i++) drop.add(i);
    for (let i = site.end + 1; i < lines.length && !lines[i].trim(); i++) drop.add(i);
  }
  return {
    text: `${lines
      .filter((_, i) => !drop.has(i))
      .join('\n')
      .replace(/\s+$/, '')}\n`,
    dropped: sites.map((site) => lines[site.def].trim()),
  };
}

/** Writes the new test file and keeps its passing tests; undefined when no file with a passing test came of it in time. */
export async function fillTestFile(options: TestFileFillOptions): Promise<TestFileFill | undefined> {
  const { ctx, path } = options;
  if (!ctx.infill) return undefined;
  const prefix = testFilePrefix(path, options.task);
  if (!prefix) return undefined;
  const started = Date.now();
  const left = () => options.timeoutMs - (Date.now() - started);
  // a request that lists its cases: the file written a test a case (case-tests.ts), else whole
  const byCase = await testsByCase(options, prefix, left);
  if (byCase) return withMutantTests(options, byCase);
  const seen = new Set<string>();
  for (let seed = 0; seed < maxTries; seed++) {
    if (left() < 10_000 || ctx.signal.aborted) return undefined;
    const how = seed ? `sample ${seed}` : 'greedy';
    let written: string | undefined;
    try {
      written = await ctx.infill({
        path,
        prefix,
        suffix: '',
        maxTokens: maxFileTokens,
        timeoutMs: left(),
        ...sampling(seed),
      });
    } catch (error) {
      if (error instanceof ModelError) return undefined;
      throw error;
    }
    // (a file cut off inside a test is closed there: cut-blocks.ts)
    const whole = written === undefined ? undefined : upToLastTest(path, closedBlocks(path, `${prefix}${written}`));
    const others = whole === undefined ? undefined : withoutOthers(path, whole, options.subjectNames, options.existingTests ?? []);
    const first = others && testSites(path, others.text).length > 0 ? others.text : undefined;
    if (others?.dropped.length)
      options.log?.(`Of the tests code completion wrote in ${path} (${how}), ${others.dropped.length} copy the project's or test other code: taken out.`, {
        dropped: others.dropped,
      });
    if (!first || seen.has(first)) {
      options.log?.(`Code completion wrote no test of the code in ${path} (${how}).`, { written });
      continue;
    }
    seen.add(first);
    let text = first;
    const dropped: string[] = [];
    let fixes = 0;
    // the file as written, then without the tests that failed against the code (a test that fails
    // only once others are out, too)
    for (let runs = 0; runs < maxRuns && left() > 0; ) {
      let change: TestFileFill['change'];
      try {
        const proposed = await ctx.workspace.proposeChange(path, text);
        const amended = options.amend ? await options.amend(proposed) : proposed;
        if (amended.path !== path || amended.after === null) break;
        text = amended.after;
        change = { ...amended, after: amended.after };
      } catch {
        // (the file appeared on disk meanwhile, or cannot be written: the model goes on)
        return undefined;
      }
      if (syntaxGate([change], ctx.config.index.maxFileBytes)) {
        // (a last test that does not parse, written up to the token limit, is left out)
        const shorter = upToLastTest(path, text, testSites(path, text).at(-1)?.start ?? 0);
        options.log?.(`The test file code completion wrote in ${path} does not parse (${how})${shorter ? ': its last test is left out' : ''}.`, { text });
        if (!shorter) break;
        text = shorter;
        continue;
      }
      const { run } = await withStaged(ctx.workspace, [change], options.runTests);
      runs++;
      if (!run || run.timedOut) {
        options.log?.(`The tests did not finish with the file code completion wrote in ${path} (${how}).`, { text });
        break;
      }
      const lines = text.split('\n');
      const kept = testSites(path, text).map((site) => lines[site.def].trim());
      if (runPassed(run)) {
        options.log?.(
          `Code completion wrote ${kept.length} test${kept.length === 1 ? '' : 's'} in ${path} (${how}) that pass${kept.length === 1 ? 'es' : ''}.`,
          {
            text,
            dropped,
          },
        );
        return withMutantTests(options, await withCaseTests(options, { change, kept, dropped, run }, left));
      }
      const output = `${run.stdout}\n${run.stderr}`;
      const fixed = fixes < maxFixes ? await options.fix?.(text, output) : undefined;
      if (fixed && fixed.text !== text) {
        fixes++;
        options.log?.(`Fixed for certain in the file code completion wrote in ${path} (${how}): ${fixed.what}.`, { text: fixed.text });
        text = fixed.text;
        continue;
      }
      const without = withoutFailing(path, text, output);
      if (without.dropped.length === 0 || testSites(path, without.text).length === 0) {
        const why = without.dropped.length ? 'every test in it failed against the code' : 'the run fails, and not in a test of it the output names';
        options.log?.(`The file code completion wrote in ${path} (${how}) is not kept: ${why}.`, { text, output: output.slice(-2000) });
        break;
      }
      options.log?.(`Of the tests code completion wrote in ${path} (${how}), ${without.dropped.length} failed against the code: taken out.`, {
        dropped: without.dropped,
      });
      dropped.push(...without.dropped);
      text = without.text;
    }
  }
  return undefined;
}
