/**
 * A test of a bug report's own case, when the project's tests all pass at the start of a turn that
 * reports a bug: without one, nothing tells a fix from a change that breaks nothing, and the model
 * took "the tests pass" for "fixed" (pyapp-fix-page-count: `page_count` changed for an empty list,
 * the tests passed, "the bug is fixed"; the 30 entries of the report still made one page). A
 * developer reproduces the report first; here code completion writes the test, beside the
 * project's test nearest the report's words and in its words (its fixtures, its helpers), with
 * the report as a comment above it. It counts as a reproduction only when it fails with the code
 * as it is, and not for want of a name or an import of its own. It is only staged, never written:
 * the repair (infill-repair.ts) is judged by it and by the project's tests together, so a wrong
 * test costs time but fixes nothing by itself.
 */
import type { FileChange } from '../../workspace/approval.ts';
import { withStaged, syntaxGate } from '../../../tools/change-flow.ts';
import { sampling, type ToolContext, type ToolResult } from '../../../tools/tool.ts';
import { failureCount, runPassed } from '../attempts.ts';
import { blockEnd, nearestTest, openedLines, testOpener, type TestSite } from './test-sites.ts';
import { requestAbove } from '../completion/infill-repair.ts';
import { ModelError } from '../../model/language-model.ts';
import { namesFunction } from '../intake/spec-paragraphs.ts';

export interface ReproductionOptions {
  task: string;
  ctx: ToolContext;
  /** The project's test files, with their text. */
  tests: ReadonlyArray<{ path: string; text: string }>;
  /** Runs the project's tests with what is staged. */
  runTests: () => Promise<ToolResult>;
  /** Time for all tries together. */
  timeoutMs: number;
  /**
   * Stop at the first test of the case that passes: the code was just fixed by the project's
   * failing tests, and a test of the report's case passing with it says the case is fixed too.
   */
  stopWhenPasses?: boolean;
  /**
   * Names a test of the case must call one of (the functions just fixed, and their callers), and
   * the test file it is written in too: a test of other code that fails says nothing of the fix, and
   * its repair only costs time (ruby-fix-tag-report: a parser test expecting a tag lower-cased, 120 s
   * of repair after `by_tag` was fixed).
   */
  mustCall?: readonly string[];
  /**
   * The code as it was before that fix (changes that put the fixed files back) and how many tests
   * failed with it, staged with a test that fails with the fix: a test of the report's case fails
   * without the fix too, and one that adds no failure there asks for what the report calls the bug
   * (go-fix-stack: `Pop() = 2, want 1` after Pop was fixed to return the top; a minute of repair
   * was spent on making it wrong again).
   */
  unfixed?: { changes: () => Promise<FileChange[]>; failing: number };
  log?: (message: string, detail: Record<string, unknown>) => void;
}

export interface Reproduction {
  /** The test file with the new test in it, staged only. */
  change: FileChange & { after: string };
  /** The new test's text. */
  test: string;
  /** The run it fails in. */
  run: NonNullable<ToolResult['run']>;
}

/** Tests written at most: the most usual one, then samples. */
const maxTries = 3;
/** Lines of a written test kept at most (a test longer than this is not one case). */
const maxTestLines = 40;
/** Tokens a test may take to write. */
const maxTestTokens = 320;

/**
 * Signs in a failing run that the new test itself is wrong, not the code: a name it made up, an
 * import or fixture that is not there, a syntax error, a compiler's error.
 */
const ownFault =
  /\b(NameError|ImportError|ModuleNotFoundError|SyntaxError|IndentationError|ReferenceError)\b|fixture '[^']+' not found|is not defined\b|Cannot find (module|name)|cannot find (symbol|value|function)|undefined: \w|error\[E\d+\]|error TS\d+/;

/** Lines of the test file put before the new test at most: its head, then the lines up to the end of the nearest test. */
const maxPrefixLines = 160;
/** Of those, the head (imports, helpers) when the file is longer. */
const headLines = 40;

/**
 * What code completion reads before the new test: the test file up to the end of the test nearest
 * the report (the head and the lines before it when the file is long), the report as a comment,
 * and the new test's start (the nearest one's attributes and its definition up to the name). With
 * the whole file before it, the model wrote a copy of the file's last test.
 */
function testPrefix(lines: readonly string[], site: TestSite, comment: string, task: string, start: string): string {
  const upTo = lines.slice(0, site.end + 1);
  const kept = upTo.length <= maxPrefixLines ? upTo : [...upTo.slice(0, headLines), '', ...upTo.slice(upTo.length - (maxPrefixLines - headLines))];
  const indent = /^\s*/.exec(lines[site.def])?.[0] ?? '';
  const report = task
    .trim()
    .split('\n')
    .map((line) => `${indent}${comment} ${line}`.trimEnd())
    .join('\n');
  return `${kept.join('\n')}\n\n\n${indent}${comment} A test of this report's case; it fails until the bug is fixed:\n${report}\n${start}`;
}

/** The first test of what code completion wrote after `start` (its header lines and opener included), or undefined when it did not end. */
export function firstTest(start: string, written: string): string | undefined {
  const lines = `${start}${written}`.split('\n');
  const def = start.split('\n').length - 1;
  const end = blockEnd(lines, def);
  if (end === undefined || end - def > maxTestLines) return undefined;
  return lines.slice(0, end + 1).join('\n');
}

/** Whether the written `test` is named as a test of the file `lines` already is (its definition line, after `start`'s header lines, is one of the file's). */
export function copiesATest(test: string, start: string, lines: readonly string[]): boolean {
  const def = test.split('\n')[start.split('\n').length - 1]?.trim();
  return !!def && lines.some((line) => line.trim() === def);
}

/**
 * The test file's text with `test` put after the test at `site` (the blank lines between tests as
 * the file has them: after the test, or before it and its comments when the file ends with it).
 */
export function withTestAfter(text: string, site: TestSite, test: string): string {
  const lines = text.split('\n');
  let blanks = 0;
  while (site.end + 1 + blanks < lines.length && !lines[site.end + 1 + blanks].trim()) blanks++;
  if (site.end + 1 + blanks >= lines.length) {
    // (above its comment lines, if it has any: `# Test: …`)
    let above = site.start - 1;
    while (above >= 0 && /^\s*(#(?!\[)|\/\/|--|\/\*|\*)/.test(lines[above])) above--;
    blanks = 0;
    while (above - blanks >= 0 && !lines[above - blanks].trim()) blanks++;
  }
  const gap = Math.max(1, Math.min(2, blanks));
  const at = site.end + 1;
  return [...lines.slice(0, at), ...Array(gap).fill(''), ...test.split('\n'), ...lines.slice(at)].join('\n');
}

/** Writes and runs tests of the report's case until one fails for the code's fault; undefined when none does in time. */
export async function reproduce(options: ReproductionOptions): Promise<Reproduction | undefined> {
  const { ctx, task } = options;
  if (!ctx.infill) return undefined;
  const calls = (text: string) => options.mustCall!.some((name) => namesFunction(text, name));
  // (after a fix, beside the tests of the fixed code: the test nearest the report's words was a parser's)
  const site = nearestTest(task, options.mustCall ? options.tests.filter((file) => calls(file.text)) : options.tests);
  if (!site) return undefined;
  const file = options.tests.find((t) => t.path === site.path)!;
  // (the request's line comment in the test file's language, as a body rewrite puts it)
  const comment = requestAbove(site.path, task)?.lineComment;
  const lines = file.text.split('\n');
  const opener = testOpener(lines[site.def]);
  if (!comment || !opener) return undefined;
  const headerLines = lines.slice(site.start, site.def).join('\n');
  const start = `${headerLines ? `${headerLines}\n` : ''}${opener}`;
  const prefix = testPrefix(lines, site, comment, task, start);
  // a new test starts where the written one is done (`def `, `test(`, `  it(`, `#[test`, `@Test`)
  const defWord = /^\s*[#@]?\[?[\w.]+(\(|\s)?/.exec(lines[site.start])?.[0];
  const stops = defWord ? [`\n${defWord}`] : [];
  const defLines = openedLines(lines, opener);
  const started = Date.now();
  const seen = new Set<string>();
  for (let seed = 0; seed < maxTries; seed++) {
    const timeoutMs = options.timeoutMs - (Date.now() - started);
    if (timeoutMs < 5_000 || ctx.signal.aborted) return undefined;
    let written: string | undefined;
    try {
      written = await ctx.infill({
        path: site.path,
        prefix,
        suffix: '',
        maxTokens: maxTestTokens,
        stops,
        timeoutMs,
        // (a copy of one of the file's tests is known by its first line: not written on)
        notFirstLines: defLines,
        ...sampling(seed),
      });
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      // (said in the log: a turn whose first minutes went here shows where they went)
      options.log?.(`Code completion wrote no test of the report's case (${seed ? `sample ${seed}` : 'greedy'}): ${error.message}`, {
        seconds: Math.round((Date.now() - started) / 1000),
      });
      return undefined;
    }
    // a test the file has already, copied under its own name, is not one of the report's case (it
    // failed beside the original, ts-fix-whole-numbers: the same rooms made twice); its first line
    // tells, and the engine stops there
    if (written !== undefined && copiesATest(`${start}${written}`, start, lines)) {
      options.log?.(`Code completion wrote a copy of a test the file has, not one of the report's case: not run.`, { test: `${start}${written}` });
      continue;
    }
    const test = written === undefined ? undefined : firstTest(start, written);
    if (!test || seen.has(test)) {
      options.log?.(`Code completion wrote no new test of the report's case (${seed ? `sample ${seed}` : 'greedy'}).`, { written });
      continue;
    }
    seen.add(test);
    if (options.mustCall && !calls(test)) {
      options.log?.(
        `Code completion wrote a test of the report's case that calls none of ${options.mustCall.slice(0, 4).join(', ') || 'the fixed functions'}: not run.`,
        { test },
      );
      continue;
    }
    const after = withTestAfter(file.text, site, test);
    let change: Reproduction['change'];
    try {
      change = { ...(await ctx.workspace.proposeChange(site.path, after)), after };
    } catch {
      // (the test file changed on disk, or cannot be read: no test of the case, the turn goes on)
      return undefined;
    }
    if (syntaxGate([change], ctx.config.index.maxFileBytes)) {
      options.log?.(`The test code completion wrote of the report's case does not parse: not run.`, { test });
      continue;
    }
    const { run } = await withStaged(ctx.workspace, [change], options.runTests);
    const output = run ? `${run.stdout}\n${run.stderr}` : '';
    const verdict = !run
      ? 'it did not run'
      : runPassed(run)
        ? 'it passes with the code as it is: it does not show the bug'
        : run.timedOut
          ? 'the tests did not finish'
          : ownFault.test(output)
            ? 'it fails for a fault of its own (a name or import it made up)'
            : failureCount(output) === undefined
              ? 'its failures cannot be counted'
              : undefined;
    const asksForBug = verdict === undefined && run && options.unfixed ? await passesUnfixed(ctx, change, options.unfixed, options.runTests) : false;
    options.log?.(
      `Code completion wrote a test of the report's case in ${site.path} (${seed ? `sample ${seed}` : 'greedy'}): ${
        asksForBug ? 'it fails with the fix and passes with the code before it: it asks for the bug' : (verdict ?? 'it fails')
      }.`,
      { test },
    );
    if (verdict === undefined && run && !asksForBug) return { change, test, run };
    if (options.stopWhenPasses && run && runPassed(run)) return undefined;
  }
  return undefined;
}

/**
 * Whether `test` passes with the code put back as it was before the fix: the project's tests, run
 * with it there, fail no more than the `failing` they failed with then.
 */
async function passesUnfixed(
  ctx: ToolContext,
  test: FileChange,
  unfixed: NonNullable<ReproductionOptions['unfixed']>,
  runTests: () => Promise<ToolResult>,
): Promise<boolean> {
  const back = (await unfixed.changes().catch(() => [])).filter((change) => change.path !== test.path);
  if (back.length === 0 || ctx.signal.aborted) return false;
  const { run } = await withStaged(ctx.workspace, [test, ...back], runTests);
  if (!run || run.timedOut) return false;
  if (runPassed(run)) return true;
  const failing = failureCount(`${run.stdout}\n${run.stderr}`);
  return failing !== undefined && failing <= unfixed.failing;
}
