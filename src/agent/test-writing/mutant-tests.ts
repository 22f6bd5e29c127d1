/**
 * A new test file made to hold the code, as mutation testing judges tests: once its tests pass,
 * the code under test is broken a branch at a time (mutants.ts) and the tests run with each broken
 * copy staged (the project's other test files left out); a copy no test of the new file notices is
 * a gap. For each gap, a function at a time in turn, a copy of a kept test with one input changed
 * (test-amplify.ts), asserting what the code returns, is kept when it fails with the broken copy;
 * failing that, for a few, code completion writes a test of the case the condition decides as a
 * case test is written (case-tests.ts: `# Test: in matchSegments, a case where
 * \`expected !== actual[i]\` is true`), kept on the same terms. A test that passes whatever the
 * code does is what a passing run cannot tell from a good one: ts-add-test-router's file of three
 * passing tests let a router that never compared the literal segments of a path through, and the
 * copy of its test of path parameters with `/rooms/:id/availabilityx` for a pattern caught it.
 */
import { syntaxGate, withStaged } from '../../../tools/change-flow.ts';
import { failingTestNames, testRanges } from '../intake/failing-tests.ts';
import { mutantsOf, type Mutant } from './mutants.ts';
import { tryCase, withoutFailingAssertion } from './case-tests.ts';
import { actualAsExpected } from './expected-values.ts';
import { withTestAfter } from './reproduction.ts';
import { amplified } from './test-amplify.ts';
import { testSites } from './test-sites.ts';
import type { TestFileFill, TestFileFillOptions } from './test-file-fill.ts';
import type { FileChange } from '../../workspace/approval.ts';
import { runPassed } from '../attempts.ts';

/** Broken copies run against the new file at most. */
const maxMutants = 12;
/** Copies of the kept tests, an input changed, tried for one broken copy at most. */
const maxCopies = 8;
/** Runs of one such copy against the code at most: as made, then after each value set or assertion taken out. */
const maxCopyRuns = 3;
/** Tests written by code completion for broken copies no changed input caught, at most. */
const maxWrites = 2;
/** Time for the broken copies and the tests made for them, after the file is written. */
const mutantsForMs = 120_000;
/** A broken copy is not begun with less time than this left. */
const reserveMs = 8_000;

type Broken = { mutant: Mutant; change: FileChange };
type Made = { fill: TestFileFill; def: string; how: string };

/** Whether the new file's tests fail in `run` (the code broken): caught, let through, or not to tell (no failing test named). */
export function caughtIn(run: NonNullable<TestFileFill['run']>, file: string): 'caught' | 'through' | 'unknown' {
  if (runPassed(run)) return 'through';
  if (run.timedOut) return 'unknown';
  const names = failingTestNames(`${run.stdout}\n${run.stderr}`);
  if (names.length === 0) return 'unknown';
  return testRanges(names, file).length > 0 ? 'caught' : 'through';
}

/** The case a mutant's test is to check, said of the condition it breaks. */
export function mutantCase(mutant: Mutant): string {
  const where = mutant.within ? `in ${mutant.within}, ` : '';
  if (mutant.kind === 'never') return `${where}a case where \`${mutant.condition}\` is true`;
  const sides = mutant.condition.split(/\s(?:<=|>=|<|>)\s/);
  return sides.length === 2
    ? `${where}the edge case where \`${sides[0].trim()}\` is exactly \`${sides[1].trim()}\``
    : `${where}the edge case of \`${mutant.condition}\``;
}

/** The lists' items in turn: the first of each, then the second of each, … */
function inTurn<T>(lists: ReadonlyArray<readonly T[]>): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i]);
  return out;
}

/** `items` taken a function at a time in turn (the first let through in each, then the second …), so one function's gaps do not use up the time. */
export function byFunctionInTurn<T extends { mutant: Mutant }>(items: readonly T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = item.mutant.within ?? '';
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return inTurn([...groups.values()]);
}

/** The file with `copy` after the test it was made from, run against the code until it passes (values set to what the code returns, failing assertions out); undefined when it does not. */
async function passingCopy(options: TestFileFillOptions, text: string, copy: string, site: ReturnType<typeof testSites>[number]) {
  const { ctx, path } = options;
  let candidate = withTestAfter(text, site, copy);
  for (let runs = 0; runs < maxCopyRuns; runs++) {
    let proposed: TestFileFill['change'];
    try {
      const asked = await ctx.workspace.proposeChange(path, candidate);
      if (asked.after === null) return undefined;
      proposed = { ...asked, after: asked.after };
    } catch {
      return undefined;
    }
    if (syntaxGate([proposed], ctx.config.index.maxFileBytes)) return undefined;
    const run = (await withStaged(ctx.workspace, [proposed], options.runTests)).run;
    if (!run || run.timedOut) return undefined;
    if (runPassed(run)) return { change: proposed, run };
    const output = `${run.stdout}\n${run.stderr}`;
    // (the code is what the tests hold: the copy asserts what it returns)
    const fixed =
      (await options.fix?.(candidate, output)) ??
      actualAsExpected(output, new Map([[path, candidate]])).find((fix) => fix.path === path) ??
      withoutFailingAssertion(path, candidate, output);
    if (!fixed || fixed.text === candidate) return undefined;
    candidate = fixed.text;
  }
  return undefined;
}

/** A copy of a kept test with one input changed that passes with the code and fails with `broken`; undefined when none of the first few does. */
async function byChangedInput(options: TestFileFillOptions, current: TestFileFill, broken: Broken, until: () => number): Promise<Made | undefined> {
  const { ctx, path } = options;
  const text = current.change.after;
  // (a copy of each kept test in turn: the first inputs of each test before the second of any)
  const copies = inTurn(testSites(path, text).map((site) => amplified(text, site, maxCopies).map((copy) => ({ site, ...copy }))));
  for (const copy of copies.slice(0, maxCopies)) {
    if (until() < reserveMs || ctx.signal.aborted) return undefined;
    const passing = await passingCopy(options, text, copy.test, copy.site);
    if (!passing) continue;
    const check = (await withStaged(ctx.workspace, [passing.change, broken.change], options.runTests)).run;
    if (!check || caughtIn(check, passing.change.after) !== 'caught') continue;
    const def = copy.test.split('\n')[copy.site.def - copy.site.start].trim();
    return {
      fill: { ...current, change: passing.change, run: passing.run, kept: [...current.kept, def] },
      def,
      how: `a copy of \`${text.split('\n')[copy.site.def].trim()}\` with ${copy.what}`,
    };
  }
  return undefined;
}

/** A test code completion writes for the case `broken` decides, kept when it passes with the code and fails with the copy. */
async function byWriting(options: TestFileFillOptions, current: TestFileFill, broken: Broken, what: string, until: () => number): Promise<Made | undefined> {
  const { ctx } = options;
  const item = mutantCase(broken.mutant);
  const tried = await tryCase(options, current.change.after, item, until, 0, [`(the tests above pass even with ${what})`]);
  if (!tried.kept) return undefined;
  const check = (await withStaged(ctx.workspace, [tried.change, broken.change], options.runTests)).run;
  if (!check || caughtIn(check, tried.change.after) !== 'caught') return undefined;
  return { fill: { ...current, change: tried.change, run: tried.run, kept: [...current.kept, tried.defLine] }, def: tried.defLine, how: `a test of ${item}` };
}

/**
 * `options` whose runs leave out the project's other test files (staged as deleted: nothing on
 * disk changes), when the new file still passes so: only its tests count against a broken copy,
 * and the project's own tests of the code (roombook's HTTP tests, 10 s a run with a router broken)
 * need not run each time. `options` as they are when it does not pass so (a command that names the
 * files it runs).
 */
async function withOthersAside(options: TestFileFillOptions, fill: TestFileFill): Promise<TestFileFillOptions> {
  const { ctx } = options;
  const aside: FileChange[] = [];
  for (const path of options.projectTests ?? []) {
    if (path === options.path) continue;
    let text: string;
    try {
      text = await ctx.workspace.readText(path);
    } catch {
      continue;
    }
    // (a helper of the tests, with no test of its own, stays: the new file may import it)
    if (testSites(path, text).length === 0) continue;
    try {
      aside.push(await ctx.workspace.proposeChange(path, null));
    } catch {
      // (not there after all)
    }
  }
  if (aside.length === 0) return options;
  const runTests = () => withStaged(ctx.workspace, aside, options.runTests);
  const { run } = await withStaged(ctx.workspace, [fill.change], runTests);
  if (!run || !runPassed(run)) return options;
  options.log?.(`The runs against broken copies leave out the ${aside.length} other test file${aside.length === 1 ? '' : 's'}: the new file passes alone.`, {});
  return { ...options, runTests };
}

/**
 * `fill` with a test for broken copies of `options.subject` it let through, while time is left:
 * each copy first run against the file as written, then those let through, a function at a time in
 * turn, each run again once a test was added (it may catch it), then given a copy of a kept test
 * with an input changed, else (a few) a test code completion writes. `fill` as it was when the
 * subject has no branches to break or cannot be read.
 */
export async function withMutantTests(options: TestFileFillOptions, fill: TestFileFill): Promise<TestFileFill> {
  const { ctx, path, subject } = options;
  if (!subject || !ctx.infill) return fill;
  const started = Date.now();
  const until = () => mutantsForMs - (Date.now() - started);
  let code: string;
  try {
    code = await ctx.workspace.readText(subject);
  } catch {
    return fill;
  }
  const mutants = mutantsOf(subject, code, maxMutants);
  if (mutants.length === 0) return fill;
  const quick = await withOthersAside(options, fill);
  const caughtNow = async (file: TestFileFill, broken: Broken) => {
    const { run } = await withStaged(ctx.workspace, [file.change, broken.change], quick.runTests);
    return run ? caughtIn(run, file.change.after) : 'unknown';
  };
  let current = fill;
  let caught = 0;
  const through: Broken[] = [];
  for (const mutant of mutants) {
    if (until() < reserveMs || ctx.signal.aborted) break;
    let change: FileChange;
    try {
      change = await ctx.workspace.proposeChange(subject, mutant.text);
    } catch {
      break;
    }
    const verdict = await caughtNow(current, { mutant, change });
    if (verdict === 'caught') caught++;
    else if (verdict === 'through') through.push({ mutant, change });
  }
  const added: string[] = [];
  let later = 0;
  let writes = 0;
  for (const broken of byFunctionInTurn(through)) {
    if (until() < reserveMs || ctx.signal.aborted) break;
    const { mutant } = broken;
    const what = `line ${mutant.line} of ${subject}: \`${mutant.before.trim()}\` as \`${mutant.after.trim()}\``;
    if (added.length > 0 && (await caughtNow(current, broken)) === 'caught') {
      later++;
      continue;
    }
    const made =
      (await byChangedInput(quick, current, broken, until)) ??
      (writes < maxWrites && until() > reserveMs ? (writes++, await byWriting(quick, current, broken, what, until)) : undefined);
    if (!made) {
      options.log?.(`The tests of ${path} let a broken copy through (${what}); no test made for it caught it.`, {});
      continue;
    }
    options.log?.(`The tests of ${path} let a broken copy through (${what}); ${made.how} catches it: kept.`, { text: made.fill.change.after });
    current = made.fill;
    added.push(made.def);
  }
  options.log?.(
    `Broke ${subject} in ${caught + through.length} place${caught + through.length === 1 ? '' : 's'} the tests of ${path} should notice: they caught ${caught}, and ${added.length + later} more with the ${added.length} test${added.length === 1 ? '' : 's'} made for them.`,
    { added },
  );
  return { ...current, mutants: { run: caught + through.length, caught: caught + later + added.length } };
}
