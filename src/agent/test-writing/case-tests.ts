/**
 * A new test file written one test per case the request lists (asked-cases.ts), as a developer
 * works down such a list: each case as a comment, then the start of a test (`def test_`, `test('`)
 * for code completion to write on, run at once with the tests before it; kept when it passes. One
 * that fails against the code is what is wrong (the code is to be held as it is): it is fixed for
 * certain where assist can (an import, a value the code returns), an assertion the code fails is
 * taken out when another stands beside it, and otherwise the case is written once more, sampled,
 * told how the first failed, and twice more once every case has had its writes, while time is
 * left; then it is left out, as is a copy of a test of the file or a test that uses nothing of the
 * code under test.
 *
 * Where the project's tests are top-level definitions, the whole file is written so: its head (the
 * imports code completion writes, nothing after them) and then the cases. Asked for the whole file
 * at once, the 1.5B model spent 100 s writing a copy of tally/services/export.py under the request
 * and no test (pyapp-test-export), or two or three tests of the first cases; the cases it left out
 * were the ones a broken copy of the code got through. Where the tests sit in a class or a module
 * (minitest, Rust), the file is written whole first and the cases are added after its last test.
 */
import { syntaxGate, withStaged } from '../../../tools/change-flow.ts';
import { sampling } from '../../../tools/tool.ts';
import { languageOf } from '../../index/languages.ts';
import { ModelError } from '../../model/language-model.ts';
import { casesAsked } from './asked-cases.ts';
import { testsNamedFor } from './named-cases.ts';
import { failureSummary, requestAbove } from '../completion/infill-repair.ts';
import { copiesATest, firstTest, withTestAfter } from './reproduction.ts';
import { bracketDepth, closedBlocks } from './cut-blocks.ts';
import type { TestFileFill, TestFileFillOptions } from './test-file-fill.ts';
import { withoutOthers } from './test-file-fill.ts';
import { openedLines, testOpener, testSites } from './test-sites.ts';
import { escapeRegex } from '../../workspace/search-query.ts';
import { runPassed } from '../attempts.ts';

/** Tokens one test of a case may take to write. */
const maxCaseTokens = 320;
/** Runs of one case's test at most: as written, then after each fix for certain or assertion taken out. */
const maxCaseRuns = 5;
/** Tests written at most for one case in the first round: greedy, then a sample told how the first failed. */
const maxCaseWrites = 2;
/** Samples more of a case left with no test, in a second round once every case has had its first. */
const moreCaseWrites = 2;
/** Tokens the head of a file (its imports) may take. */
const maxHeadTokens = 200;

/**
 * A line of a file's head: an import, a package line, a comment, a blank, or the continuation of an
 * import in brackets (`from x import (`, `import {` over lines). What comes after the head is the
 * model's copy of the code under test, or a test of its own making: not kept.
 */
const headLine =
  /^\s*($|#(?!\[)|\/\/|\/\*|\*|import\b|from\s+\S+\s+import\b|package\b|use\b|require(_relative)?\b|(const|let|var)\s+[\w{}\s,]+=\s*require\(|using\b|extern\s+crate\b)/;

/** The head of what code completion wrote at the top of a test file: its imports and what goes with them, up to the first other line. */
export function importHead(written: string): string {
  const lines = written.split('\n');
  const kept: string[] = [];
  let open = 0;
  for (const line of lines) {
    if (open === 0 && !headLine.test(line)) break;
    kept.push(line);
    open = Math.max(0, open + bracketDepth(line));
  }
  return kept.join('\n').trimEnd();
}

/** Where a test starts in a file with none yet: after the text, two blank lines in Python, one elsewhere. */
function appended(path: string, text: string, test: string): string {
  return `${text.trimEnd()}\n${languageOf(path) === 'python' ? '\n\n' : '\n'}${test}\n`;
}

const unparsed = 'it does not parse';
const repeated = 'it repeats a test above it';

/** Lines of a test's body that say nothing of what it tests: blanks, comments, closers. */
const noBodyLine = /^\s*($|#|\/\/|[)}\];,]+$|end$)/;

/**
 * Whether the test `test` (written for `path`) only repeats what the tests of `text` already do:
 * every line of its body is a line of one of them. ruby-add-test-slug's cases "leading and trailing
 * separators" and "the length limit" were each written as the test above them,
 * `assert_equal 'hello-world', Slug.slugify('Hello, World!')`, passed, and tested nothing new.
 */
export function repeatsATest(path: string, test: string, text: string): boolean {
  const bodyOf = (source: string) => {
    const lines = source.split('\n');
    return testSites(path, source).flatMap((site) => lines.slice(site.def + 1, site.end + 1).map((line) => line.trim()));
  };
  const body = bodyOf(test).filter((line) => !noBodyLine.test(line));
  if (body.length === 0) return false;
  const before = new Set(bodyOf(text));
  return body.every((line) => before.has(line));
}

/** A line that asserts (`assert …`, `assert.equal(…)`, `expect(…)`, `assert_equal …`, `self.assertEqual(…)`). */
export const assertion = /^\s*(?:(?:self|t|this)\.)?(?:assert\w*|expect|refute\w*)\b/;

/**
 * `text` without the one-line assertion the failing run points at (`path:line` in its output: a
 * stack, pytest's `file.py:12: AssertionError`, minitest's `[file:12]`), when the test it is in
 * asserts something else too, at the same depth. The code is held as it is, so the assertion is what is wrong, and
 * the rest of the test still holds the code (ts-add-test-router: `assert.equal(response.handler,
 * (params) => 'available')` compared two functions, and took the test's checks of the path
 * parameters out with it). Undefined when the run points at no such line.
 */
export function withoutFailingAssertion(path: string, text: string, output: string): { text: string; what: string } | undefined {
  const name = path.split('/').pop() ?? path;
  const lines = text.split('\n');
  const sites = testSites(path, text);
  for (const m of output.matchAll(new RegExp(`(?:^|[/\\s[(])${escapeRegex(name)}:(\\d+)`, 'gm'))) {
    const at = Number(m[1]) - 1;
    const line = lines[at];
    if (line === undefined || !assertion.test(line) || bracketDepth(line) !== 0) continue;
    const site = sites.find((s) => s.def < at && at <= s.end);
    if (!site) continue;
    // (another at the same depth: one inside a callback the test hands the code may never run, and
    // ts-add-test-router's test of route matching was left with only such a one, asserting nothing)
    const depth = /^\s*/.exec(line)?.[0].length;
    const others = lines
      .slice(site.def + 1, site.end + 1)
      .filter((l, i) => site.def + 1 + i !== at && assertion.test(l) && /^\s*/.exec(l)?.[0].length === depth);
    if (others.length === 0) continue;
    return {
      text: [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n'),
      what: `took out the assertion the code fails (${path}:${at + 1}: ${line.trim()})`,
    };
  }
  return undefined;
}

/** `defLine` as a fix for certain left it in `text` (a fixture taken out of `def test_x(router: Router):`): the line of the same name, else as it was. */
function fixedDefLine(text: string, defLine: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  if (lines.includes(defLine)) return defLine;
  // (a function named for its test: `test('…', …` names none, and another test's line would be taken)
  const head = /^(?:async\s+)?(?:def|fn|func|function)\s+\w+\(/.exec(defLine)?.[0];
  return (head && lines.find((line) => line.startsWith(head))) || defLine;
}

/** A case's test as tried: the file with it when the tests passed with it, else why not. */
type CaseTry =
  | { kept: true; change: TestFileFill['change']; run: NonNullable<TestFileFill['run']>; defLine: string }
  | { kept: false; verdict: string; defLine?: string; failed?: NonNullable<TestFileFill['run']>; written?: string; test?: string };

/**
 * Writes one test of `item` after the last test of `text` (or its head) and runs it, fixed for
 * certain after each failing run while that changes something. `note`: how the test written
 * before failed, told in comments between the case and the test, and not kept in the file.
 */
export async function tryCase(
  options: TestFileFillOptions,
  text: string,
  item: string,
  left: () => number,
  seed: number,
  note: readonly string[],
  projectOpener?: string,
): Promise<CaseTry> {
  const { ctx, path } = options;
  const comment = requestAbove(path, options.task)?.lineComment;
  if (!ctx.infill || !comment) return { kept: false, verdict: 'no code completion' };
  const lines = text.split('\n');
  const site = testSites(path, text).at(-1);
  const opener = site ? testOpener(lines[site.def]) : projectOpener;
  if (!opener) return { kept: false, verdict: 'no test to write it like' };
  const indent = /^\s*/.exec(opener)?.[0] ?? '';
  const header = site ? lines.slice(site.start, site.def).join('\n') : '';
  const caseLine = `${indent}${comment} Test: ${item}`;
  const noteLines = note.map((line) => `${indent}${comment} ${line}`.trimEnd());
  const start = [caseLine, ...noteLines, ...(header ? [header] : []), opener].join('\n');
  const before = site ? lines.slice(0, site.end + 1).join('\n') : text.trimEnd();
  // a new test starts where this one is done (`def `, `test(`, `  it(`, `#[test`, `@Test`)
  const defWord = /^\s*[#@]?\[?[\w.]+(\(|\s)?/.exec(site ? lines[site.start] : opener)?.[0];
  let written: string | undefined;
  try {
    written = await ctx.infill({
      path,
      prefix: `${before}\n\n\n${start}`,
      suffix: '',
      maxTokens: maxCaseTokens,
      stops: [...(defWord ? [`\n${defWord}`] : []), `\n${indent}${comment} Test:`],
      timeoutMs: left(),
      // (a test of the file copied under its own name is known by its first line: not written on)
      notFirstLines: openedLines(lines, opener),
      ...sampling(seed),
    });
  } catch (error) {
    if (error instanceof ModelError) return { kept: false, verdict: 'code completion failed' };
    throw error;
  }
  // (a test cut off at the token limit or a loop is closed there: cut-blocks.ts)
  const closedTest = (cut: string) => {
    const closed = closedBlocks(path, `${start}${cut}`);
    return closed.startsWith(start) ? firstTest(start, closed.slice(start.length)) : undefined;
  };
  const whole = written === undefined ? undefined : (firstTest(start, written) ?? closedTest(written));
  // (the note is for the model, not the file)
  const test = whole
    ?.split('\n')
    .filter((_, i) => i === 0 || i > noteLines.length)
    .join('\n');
  const own = test ? withoutOthers(path, test, options.subjectNames, []) : undefined;
  if (!test || copiesATest(test, caseLine, lines) || !own || testSites(path, own.text).length === 0)
    return { kept: false, verdict: 'no new test of the code', ...(written === undefined ? {} : { written }) };
  if (repeatsATest(path, test, text)) return { kept: false, verdict: repeated, ...(written === undefined ? {} : { written }) };
  const defLine = test.split('\n')[start.split('\n').length - 1 - noteLines.length].trim();
  let candidate = site ? withTestAfter(text, site, test) : appended(path, text, test);
  // run as written, then again after each fix for certain (an import the test needs: Python names
  // one missing name a run, and pyapp-test-export's first test needed insert_entry and date)
  let failed: NonNullable<TestFileFill['run']> | undefined;
  for (let runs = 0; runs < maxCaseRuns; runs++) {
    let proposed: TestFileFill['change'];
    try {
      const asked = await ctx.workspace.proposeChange(path, candidate);
      const amended = options.amend ? await options.amend(asked) : asked;
      if (amended.path !== path || amended.after === null) break;
      proposed = { ...amended, after: amended.after };
    } catch {
      return { kept: false, verdict: 'the file cannot be written', defLine };
    }
    if (syntaxGate([proposed], ctx.config.index.maxFileBytes)) return { kept: false, verdict: unparsed, defLine };
    const run = (await withStaged(ctx.workspace, [proposed], options.runTests)).run;
    if (run && runPassed(run)) return { kept: true, change: proposed, run, defLine: fixedDefLine(proposed.after, defLine) };
    if (!run || run.timedOut) return { kept: false, verdict: 'the tests did not finish', defLine };
    failed = run;
    const output = `${run.stdout}\n${run.stderr}`;
    const certain = await options.fix?.(proposed.after, output);
    const fixed = certain ?? withoutFailingAssertion(path, proposed.after, output);
    if (!fixed || fixed.text === proposed.after) break;
    options.log?.(`${certain ? 'Fixed for certain in' : 'Changed'} the test for "${item}": ${fixed.what}.`, { text: fixed.text });
    candidate = fixed.text;
  }
  return { kept: false, verdict: 'it fails against the code', defLine, test, ...(failed ? { failed } : {}) };
}

/**
 * `text` with a test of each case after its last test (or after its head, with `opener` the start of
 * a test of the project); each run with what is before it, and a case whose test failed written
 * once more (sampled, told how it failed), then in a second round twice more, while time is left.
 * Undefined when the file has no test passing in the end.
 */
async function addCaseTests(
  options: TestFileFillOptions,
  from: { text: string; kept: string[]; dropped: string[]; change?: TestFileFill['change']; run?: TestFileFill['run'] },
  cases: readonly string[],
  left: () => number,
  projectOpener?: string,
): Promise<TestFileFill | undefined> {
  const { ctx, path } = options;
  let { text, change, run } = from;
  const kept = [...from.kept];
  const dropped = [...from.dropped];
  // every case is written (greedy, then a sample) before any is sampled further: a case left with no
  // test is written again in a second round while time is left (ruby-add-test-slug's turn ended at
  // 76 s of its 180 with two of five cases untested after two writes each)
  const state = cases.map(() => ({ note: [] as string[], failedDef: undefined as string | undefined, done: false, seed: 0 }));
  rounds: for (const writes of [maxCaseWrites, moreCaseWrites]) {
    for (const [i, item] of cases.entries()) {
      const at = state[i];
      const what = `case ${i + 1} of ${cases.length} (${item})`;
      for (let n = 0; n < writes && !at.done; n++, at.seed++) {
        if (left() < 15_000 || ctx.signal.aborted) break rounds;
        const { seed, note } = at;
        const tried = await tryCase(options, text, item, left, seed, note, projectOpener);
        const how = seed ? `sample ${seed}${note.length ? ', told how the test before failed' : ''}` : 'greedy';
        if (tried.kept) {
          options.log?.(`Code completion wrote a test in ${path} for ${what} (${how}): it passes, kept.`, { text: tried.change.after });
          ({ change, run } = tried);
          text = tried.change.after;
          kept.push(tried.defLine);
          at.failedDef = undefined;
          at.done = true;
          break;
        }
        options.log?.(`Code completion wrote a test in ${path} for ${what} (${how}): ${tried.verdict}, left out.`, {
          ...(tried.failed ? { output: failureSummary(tried.failed).join('\n') } : {}),
          ...(tried.test === undefined ? {} : { test: tried.test }),
          ...(tried.written === undefined ? {} : { written: tried.written }),
        });
        at.failedDef = tried.defLine ?? at.failedDef;
        // another try when the test was wrong, or not one (ts-add-test-router's test of route matching
        // compared whole matches, handlers too, past its 320 tokens); not when the tests hang
        if (!tried.failed && tried.verdict !== unparsed && tried.written === undefined) at.done = true;
        at.note = tried.failed
          ? ['A test written before for this case failed:', ...failureSummary(tried.failed)]
          : tried.verdict === unparsed
            ? ['A test written before for this case did not parse.']
            : tried.verdict === repeated
              ? ['A test written before for this case only repeated a test above it: give this case its own input and the value the code returns for it.']
              : [];
      }
    }
  }
  for (const at of state) if (at.failedDef) dropped.push(at.failedDef);
  return change && run && kept.length > 0 ? { change, kept, dropped, run } : undefined;
}

/** `fill` with a test of each case the request lists after its last test (fill as it was when it lists none, or none passes). */
export async function withCaseTests(options: TestFileFillOptions, fill: TestFileFill, left: () => number): Promise<TestFileFill> {
  const asked = casesAsked(options.task);
  // (a case a passing test of the file is named for has its test: test_slugify_spaces, "spaces become hyphens")
  const named = testsNamedFor(asked, fill.kept, options.subjectNames);
  const cases = asked.filter((_, i) => named[i] === undefined);
  if (cases.length < asked.length)
    options.log?.(
      `The tests code completion wrote in ${options.path} are named for ${asked.length - cases.length} of the ${asked.length} cases asked: ${cases.length ? 'the others are written one at a time' : 'none is written again'}.`,
      { named: Object.fromEntries(asked.flatMap((item, i) => (named[i] ? [[item, named[i]]] : []))) },
    );
  if (cases.length === 0) return fill;
  return (
    (await addCaseTests(options, { text: fill.change.after, kept: fill.kept, dropped: fill.dropped, change: fill.change, run: fill.run }, cases, left)) ?? fill
  );
}

/**
 * The new file written case by case from its top (`prefix`, the request as comments): the head
 * code completion writes, cut after its imports, then a test of each case that starts like
 * `opener`, the start of a top-level test of the project. Undefined when the request lists no
 * cases, the project's tests are not top-level, or no test of a case passed.
 */
export async function testsByCase(options: TestFileFillOptions, prefix: string, left: () => number): Promise<TestFileFill | undefined> {
  const { ctx, path } = options;
  const cases = casesAsked(options.task);
  const opener = options.existingTests?.map((line) => testOpener(line)).find((o) => o !== undefined && !/^\s/.test(o));
  if (!ctx.infill || cases.length === 0 || !opener) return undefined;
  let written: string | undefined;
  try {
    written = await ctx.infill({ path, prefix, suffix: '', maxTokens: maxHeadTokens, stops: [`\n${opener}`], timeoutMs: left(), ...sampling(0) });
  } catch (error) {
    if (error instanceof ModelError) return undefined;
    throw error;
  }
  const head = `${prefix}${importHead(written ?? '')}`;
  options.log?.(`Code completion wrote the head of ${path}; a test of each of ${cases.length} cases follows.`, { head });
  return addCaseTests(options, { text: head, kept: [], dropped: [] }, cases, left, opener);
}
