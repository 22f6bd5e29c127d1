/**
 * The failing tests of a fix are its specification. Small models, shown a failing assertion,
 * often "fix" the assertion instead of the code (seen in the eval: the expected total rewritten
 * to match the wrong one). In a turn that asks for a fix and whose tests failed before the first
 * step, the first change to each test file is held back once with a note saying so; the same
 * change made again is applied (the test may really be wrong, and the person still approves it).
 * A request that rules that out (the tests must not change, or the fault is in named code that is
 * not a test: "find the bug in the shop package") holds every change to a test file: a small
 * model told once simply repeats itself (py-fix-discount: the assertion rewritten on the second try),
 * and the grammar of the text protocol offers no search/replace edit of a test file at all.
 */
import { isTestPath } from '../languages/test-files.ts';
import type { WorkspaceView } from '../model/text-grammar.ts';
import { asksForChange } from './task-kind.ts';

/** A request that is itself about writing or changing tests: its test files are fair game. */
const aboutEditingTests = /\b(add|write|create|update|change|edit|extend|correct|rewrite|fix)\s+(\w+\s+){0,3}(unit\s+)?(tests?|specs?)\b(?!\s+pass)/i;

/** "without changing the tests", "do not edit the test file", "tests must not change", "make the tests pass without changing them". */
const keepTests =
  /\b(without|not|never|n't)\s+(\w+\s+){0,2}(chang|edit|modif|touch|alter|rewrit)\w*\s+(\w+\s+){0,2}(tests?|specs?)\b|\b(tests?|specs?)\s+(must|should|may)\s+not\s+(be\s+)?(chang|edit|modif)|\bnot\s+in\s+the\s+tests?\b|\btests?\b[^.]*\bwithout\s+(chang|edit|modif|touch)\w*\s+them\b/i;

/** Whether test files are guarded in a turn asked `task` whose tests failed at the start. */
export function guardsTests(task: string): boolean {
  // "Do not change the tests" names changing tests too: the negation wins
  return asksForChange(task) && (keepTests.test(task) || !aboutEditingTests.test(task));
}

/** "the bug in the shop package", "fix the fault in src/range.js": where the fault is, when that is not a test. */
const faultIn = /\b(bugs?|fault|mistake|error)\s+in\s+(the\s+)?[`'"]?([\w./-]+)/i;

/** Whether `task` rules out changing the tests: it says so, or it places the fault in code that is not a test. */
export function testsLocked(task: string): boolean {
  if (keepTests.test(task)) return true;
  const place = faultIn.exec(task)?.[3].replace(/\.+$/, '');
  return !!place && !/test|spec/i.test(place) && !/^(it|this|that|the|a|an|my|our|your|there|here)$/i.test(place);
}

export class TestEditGuard {
  private readonly held = new Set<string>();

  /** `locked`: every change to a test file is held (see `testsLocked`), not only the first; the text grammar offers no edit of one either. */
  constructor(readonly locked = false) {}

  /** The note refusing a change set that touches test files not yet held back, or undefined to let it through. */
  hold(paths: readonly string[]): string | undefined {
    const tests = paths.filter((p) => isTestPath(p) && (this.locked || !this.held.has(p)));
    if (tests.length === 0) return undefined;
    for (const p of tests) this.held.add(p);
    const what = tests.length > 1 ? `${tests.join(', ')} are test files` : `${tests[0]} is a test file`;
    if (this.locked) {
      return (
        `Not applied: ${what}, and the task does not let the tests change: they say what the code must do. Change the code they test ` +
        `instead (the failure names the function and the values it expected).`
      );
    }
    return (
      `Not applied: ${what}, and the task is to make the failing tests pass, so they say what the code must do. Change the code they ` +
      `test instead (the failure names the function and the values it expected). If the test itself is wrong, make the same change again ` +
      `and it will be applied.`
    );
  }
}

/** The grammar's view of the workspace, with no test file to edit when `guard` is locked. */
export function editableView(view: WorkspaceView, guard: TestEditGuard | undefined): WorkspaceView {
  if (!guard?.locked || !view.seen) return view;
  return { ...view, seen: new Map([...view.seen].filter(([file]) => !isTestPath(file))) };
}
