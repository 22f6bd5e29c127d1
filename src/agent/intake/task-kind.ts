/**
 * What a request asks for, read from its words: a question, a change, or work on failing tests.
 * Pure and small, so the CLI can decide how to run a task before it loads anything heavy.
 */

/** Words that make a task about failures or tests: the tests are worth running before the first change. */
const aboutTests = /\b(fix(es|ed|ing)?|bugs?|fail(s|ed|ing|ure|ures)?|broken|errors?|crash(es|ing)?|pass(es|ing)?|tests?|wrong|incorrect)\b/i;

/** A question (what, where, why, ... or a question mark at the end), not a request for a change. */
export function isQuestion(task: string): boolean {
  const text = task.trim();
  if (/\?\s*$/.test(text) || /^(what|where|which|why|how|who|when|does|do|is|are|can|could|explain|describe|tell|show|list|find)\b/i.test(text)) return true;
  // "If a client asks for X, how many ...? Answer with the number." : a question mark, and no change asked first
  return /\?(\s|$)/.test(text) && !changeVerbs.test(text);
}

/** Verbs a request for a change starts with (after "please"). */
const verbs = [
  'fix',
  'add',
  'implement',
  'make',
  'rename',
  'write',
  'create',
  'change',
  'update',
  'refactor',
  'move',
  'extract',
  'remove',
  'delete',
  'replace',
  'convert',
  'document',
  'improve',
  'optimi[sz]e',
  'support',
  'handle',
  'correct',
  'complete',
  'finish',
  'split',
  'merge',
  'clean',
  'simplify',
  'use',
  'allow',
  'ensure',
  'pull',
  'introduce',
  'rewrite',
];
const changeVerbs = new RegExp(`^(please\\s+)?(${verbs.join('|')})\\b`, 'i');

/**
 * A change asked for anywhere in a request: at its start, after a sentence or a clause ("In this
 * crate, write …", "Then make …"), after "can/could/would you", or a fix after "and" ("Find out why
 * and fix it").
 */
const changeAsked = new RegExp(
  `(^|[.;!?:,]\\s+|\\n\\s*|\\b(can|could|would|will)\\s+you\\s+)(please\\s+|then\\s+)?(${verbs.join('|')})\\b|\\band\\s+(please\\s+)?(fix|correct|repair)\\b`,
  'i',
);

/**
 * Whether `task` only asks about the project: a question that asks for no change anywhere ("Which
 * variable would change that number?" only asks; "Can you add a test for parse?" asks for one).
 */
export function onlyAsks(task: string): boolean {
  return isQuestion(task) && !changeAsked.test(task.trim());
}

/** Whether `task` asks for a change to the project (not a question about it). */
export function asksForChange(task: string): boolean {
  const text = task.trim();
  // a bug report ends with its request ("... Meetings that only touch should be allowed. Please fix
  // it.", "... Can you fix that?"): the words of a question do not make it one when a change is asked
  if (onlyAsks(text)) return false;
  return changeAsked.test(text) || /\b(make|get)\s+(the\s+|all\s+)?tests?\s+pass/i.test(text) || /\b(bug|broken|fails?|failing)\b/i.test(text);
}

/**
 * Whether `task` reports a bug to fix ("… it was accepted. Those values should be rejected …
 * Please fix this.", "Bug report: …"): a change asked for, in the words of something that is wrong.
 */
export function reportsBug(task: string): boolean {
  return asksForChange(task) && /\b(fix(es|ed)?|bugs?|broken|wrong|incorrect|crash(es|ed|ing)?|regress(ion|ed))\b/i.test(task);
}

/** Whether intake should run the tests first for `task` (not for a question). */
export function wantsTestsFirst(task: string): boolean {
  return aboutTests.test(task) && !onlyAsks(task);
}

/** First words of a command that runs tests (a runner, a build tool, a shell). */
const runners =
  /^(ruby|rake|bundle|rspec|python3?|pytest|node|npm|npx|yarn|pnpm|bun|deno|go|cargo|rustc|make|ctest|cmake|mvn|gradle|\.\/gradlew|javac?|gcc|g\+\+|cc|clang|tsc|dotnet|php|phpunit|bash|sh|\.\/[\w.-]+)(?![\w+-])/;

/**
 * The test command a request names in backticks ("Run them with `ruby version_test.rb`", "so
 * `python3 -m pytest` passes"): a span that starts with a runner and says test or spec. The
 * person's own words for this task win over a detected command.
 */
export function testCommandNamedIn(task: string): string | undefined {
  for (const match of task.matchAll(/`([^`\n]{3,200})`/g)) {
    const command = match[1].trim();
    if (runners.test(command) && /test|spec/i.test(command)) return command;
  }
  return undefined;
}

/** Commands that do not end by themselves: a server, a watcher, a dev loop. */
const longRunning = /\b(serve|server|watch|listen|dev|start|up)\b|--watch/;

/**
 * The command a bug report says misbehaves ("Running `javac -d /tmp/out *.java && java -cp /tmp/out
 * Main` prints a wrong word count"): a span in backticks that starts with a runner and is not the
 * test command, in a task about failures. Running it first shows what it does now; running it
 * again checks a fix when the project has no tests.
 */
export function runCommandNamedIn(task: string): string | undefined {
  if (!wantsTestsFirst(task)) return undefined;
  const tests = testCommandNamedIn(task);
  for (const match of task.matchAll(/`([^`\n]{3,200})`/g)) {
    const command = match[1].trim();
    // (not a server or a watcher: it would run until the sandbox's time limit)
    if (command !== tests && runners.test(command) && /\s/.test(command) && !longRunning.test(command)) return command;
  }
  return undefined;
}

/**
 * Whether `task` asks for something to get a new name ("rename X to Y", "call it Y instead", "change
 * the name of X"). Only then is the project-wide rename offered: in a bug fix the 1.5B model renamed
 * the variable `items` to `entries` in every file (pyapp-fix-page-count: 3 failing tests became 51).
 */
export function asksToRename(task: string): boolean {
  return /\b(renam\w*|call\s+(it|them)\b|change\s+(the|its|their)\s+names?)/i.test(task);
}
