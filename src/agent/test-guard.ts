/**
 * The failing tests of a fix are its specification. Small models, shown a failing assertion,
 * often "fix" the assertion instead of the code (seen in the eval: the expected total rewritten
 * to match the wrong one). In a turn that asks for a fix and whose tests failed before the first
 * step, the first change to each test file is held back once with a note saying so; the same
 * change made again is applied (the test may really be wrong, and the person still approves it).
 */
import { isTestPath } from '../languages/test-files.ts';
import { asksForChange } from './task-kind.ts';

/** A request that is itself about writing or changing tests: its test files are fair game. */
const aboutEditingTests = /\b(add|write|create|update|change|edit|extend|correct|rewrite|fix)\s+(\w+\s+){0,3}(unit\s+)?(tests?|specs?)\b(?!\s+pass)/i;

/** Whether test files are guarded in a turn asked `task` whose tests failed at the start. */
export function guardsTests(task: string): boolean {
  return asksForChange(task) && !aboutEditingTests.test(task);
}

export class TestEditGuard {
  private readonly held = new Set<string>();

  /** The note refusing a change set that touches test files not yet held back, or undefined to let it through. */
  hold(paths: readonly string[]): string | undefined {
    const tests = paths.filter((p) => isTestPath(p) && !this.held.has(p));
    if (tests.length === 0) return undefined;
    for (const p of tests) this.held.add(p);
    const what = tests.length > 1 ? `${tests.join(', ')} are test files` : `${tests[0]} is a test file`;
    return (
      `Not applied: ${what}, and the task is to make the failing tests pass, so they say what the code must do. Change the code they ` +
      `test instead (the failure names the function and the values it expected). If the test itself is wrong, make the same change again ` +
      `and it will be applied.`
    );
  }
}
