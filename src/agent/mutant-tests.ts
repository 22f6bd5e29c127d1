/**
 * A new test file made to hold the code: once its tests pass, the code under test is broken a
 * branch at a time (mutants.ts) and the project's tests run with each broken copy staged; where no
 * test of the new file fails, the file does not hold that branch, and a test of the case it
 * decides is written as a case test is (case-tests.ts: `# Test: in match, a case where
 * \`expected !== actual[i]\` is true`), kept only when it passes with the code and fails with the
 * broken copy. A test that passes whatever the code does is what a passing run cannot tell from a
 * good one: ts-add-test-router's file of three passing tests let a router that never compared the
 * literal segments of a path through.
 */
import { withStaged } from '../../tools/change-flow.ts';
import { runPassed } from './expected-output.ts';
import { failingTestNames, testRanges } from './failing-tests.ts';
import { mutantsOf, type Mutant } from './mutants.ts';
import { tryCase } from './case-tests.ts';
import type { TestFileFill, TestFileFillOptions } from './test-file-fill.ts';

/** Broken copies run against the new file at most. */
const maxMutants = 12;
/** Tests written for broken copies the file let through, at most. */
const maxWrites = 4;
/** Time a mutant's run and a test for it take at least; with less left, the file is kept as it is. */
const reserveMs = 20_000;

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

/**
 * `fill` with a test for each broken copy of `options.subject` it let through (while time is
 * left): each copy run with the file as it is then, so a test written for one copy counts for the
 * next. `fill` as it was when the subject has no branches to break or cannot be read.
 */
export async function withMutantTests(options: TestFileFillOptions, fill: TestFileFill, left: () => number): Promise<TestFileFill> {
  const { ctx, path, subject } = options;
  if (!subject || !ctx.infill) return fill;
  let code: string;
  try {
    code = await ctx.workspace.readText(subject);
  } catch {
    return fill;
  }
  const mutants = mutantsOf(subject, code, maxMutants);
  if (mutants.length === 0) return fill;
  let current = fill;
  let caughtFirst = 0;
  let through = 0;
  let writes = 0;
  const added: string[] = [];
  for (const mutant of mutants) {
    if (left() < reserveMs || ctx.signal.aborted) break;
    let broken: Awaited<ReturnType<typeof ctx.workspace.proposeChange>>;
    try {
      broken = await ctx.workspace.proposeChange(subject, mutant.text);
    } catch {
      break;
    }
    const { run } = await withStaged(ctx.workspace, [current.change, broken], options.runTests);
    const verdict = run ? caughtIn(run, current.change.after) : 'unknown';
    if (verdict === 'caught') caughtFirst++;
    if (verdict !== 'through') continue;
    through++;
    const what = `line ${mutant.line} of ${subject}: \`${mutant.before.trim()}\` as \`${mutant.after.trim()}\``;
    if (writes >= maxWrites) continue;
    writes++;
    const item = mutantCase(mutant);
    const tried = await tryCase(options, current.change.after, item, left, 0, [`(the tests above pass even with ${what})`]);
    if (!tried.kept) {
      options.log?.(`The new tests let a broken copy through (${what}); the test written for it: ${tried.verdict}, left out.`, {});
      continue;
    }
    const check = (await withStaged(ctx.workspace, [tried.change, broken], options.runTests)).run;
    if (!check || caughtIn(check, tried.change.after) !== 'caught') {
      options.log?.(`The new tests let a broken copy through (${what}); the test written for it passes with the copy too, left out.`, {
        text: tried.change.after,
      });
      continue;
    }
    options.log?.(`The new tests let a broken copy through (${what}); a test of ${item} catches it: kept.`, { text: tried.change.after });
    current = { ...current, change: tried.change, run: tried.run, kept: [...current.kept, tried.defLine] };
    added.push(tried.defLine);
  }
  options.log?.(
    `Broke ${subject} in ${caughtFirst + through} places the tests of ${path} should notice: they caught ${caughtFirst}, and ${added.length} more with tests written for them.`,
    { added },
  );
  return current;
}
