/**
 * One line after an observation saying what usually comes next (write -> run -> fix -> answer),
 * as concretely as we can: the project's test command, or the command that runs the file just
 * written. Small models follow the system prompt's rules loosely but the last thing they read
 * closely: measured on Qwen2.5-Coder-0.5B, without these lines the model rewrote the same file
 * until the repeat guard stopped it and never ran anything; with a vague "run it" it invented
 * commands (`python test_fib.py` for a task with no tests).
 */
import path from 'node:path';
import { toolForRole, type Tool, type ToolResult } from '../../tools/tool.ts';
import type { ActionFormat } from '../model/action-protocol.ts';
import type { RunFilePart } from '../languages/language-row.ts';
import { languageRow, languagesWith } from '../languages/languages.ts';
import { isTestPath } from '../languages/test-files.ts';
import { asksForNumberOnly, expectedOutputIn, type ExpectedOutput } from './intake/expected-output.ts';
import { runPassed } from './attempts.ts';

/** What the agent knows when it writes the hint. */
export interface NextStepContext {
  /** The tools the model may call this turn. */
  offered: ReadonlyArray<Tool<any>>;
  /** The command the test-running tool runs when given none, if the project has one. */
  testCommand?: string;
  /** Without tests: the command the request says misbehaves, which checks a fix of it. */
  runCommand?: string;
  /** The request of a turn that asks for a change: a passing run recalls it (what the tests do not check may be left). */
  request?: string;
  /** How the model writes actions: in the text protocol a block argument is not in the JSON line. */
  format?: ActionFormat;
  /** A turn asked for tests that has changed only test files: a failing assertion is the test's, not the code's. */
  newTests?: boolean;
}

/**
 * An assertion's failure as test runners print it: pytest's `assert 'a' == 'b'` and AssertionError,
 * Go's `got … want …`, minitest's `Expected: … Actual: …`, node:test's `expected:`/`actual:`,
 * JUnit's `expected: <…> but was: <…>`, Rust's `left: … right: …`.
 */
const assertionFailure = /AssertionError|^E\s+assert\b|\bwant\b|\bExpected\b|\bexpected:|\bbut was\b|\bleft:|^\s*Actual:/m;

/** `tool` called with `args`, as a hint names it: `run_tests with "command": null`, or the args as JSON when there are several. */
export function describeCall(tool: Tool<any>, args: Record<string, unknown>, format: ActionFormat = 'json'): string {
  const entries = Object.entries(args).filter(([name]) => format !== 'text' || name !== tool.text?.arg);
  if (entries.length === 1) return `${tool.name} with ${JSON.stringify(entries[0][0])}: ${JSON.stringify(entries[0][1])}`;
  return `${tool.name} with ${JSON.stringify(Object.fromEntries(entries))}`;
}

/** The language table's `runFile` commands, by the extensions they run. */
const runFileByExtension = new Map<string, RunFilePart>();
for (const name of languagesWith('runFile')) {
  const row = languageRow(name);
  for (const ext of row.runFile!.extensions ?? row.extensions) runFileByExtension.set(ext, row.runFile!);
}

/**
 * A command that runs (or at least compiles) one file on its own in the sandbox image, by its
 * extension (and, for Go and C, whether `content` has a main): the `runFile` part of its row in
 * the language table; '' when there is no sensible one (a Rust file in a crate needs cargo...).
 */
export function commandToCheck(file: string, content?: string): string {
  const runFile = runFileByExtension.get(path.extname(file).toLowerCase());
  if (!runFile) return '';
  const hasMain = content !== undefined && /\bmain\s*\(/.test(content);
  const quoted = /^[\w./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  return runFile.command(quoted, hasMain);
}

/**
 * The output a request expects of a script or program it names that the sandbox can run: what it says
 * ("a Python script hello.py that prints exactly: Hello, world!"), or, when it only says the script
 * prints, anything at all. Any run of that file is judged by it.
 */
export function expectedScriptOutput(task: string): ExpectedOutput | undefined {
  // a script or program, not a module whose function prints: running that file calls nothing
  if (!/\b(script|program)\b/i.test(task)) return undefined;
  const output = expectedOutputIn(task);
  if (output === undefined && !/\b(prints?|outputs?|displays?|echo(es)?)\b/i.test(task)) return undefined;
  const file = [...task.matchAll(/(?<![\w/.-])([\w./-]+\.[A-Za-z]{1,5})\b/g)].map((m) => m[1]).find((name) => commandToCheck(name) !== '');
  if (!file) return undefined;
  return output === undefined ? { file, ...(asksForNumberOnly(task) ? { numberOnly: true } : {}) } : { file, output };
}

/** The files an editing action names, with the whole new content where it gives one. */
function changedFiles(args: unknown): Array<{ path: string; content?: string }> {
  const a = (args ?? {}) as { path?: unknown; content?: unknown; changes?: unknown };
  const file = (x: { path?: unknown; content?: unknown }) =>
    typeof x?.path === 'string' ? [{ path: x.path, ...(typeof x.content === 'string' ? { content: x.content } : {}) }] : [];
  if (Array.isArray(a.changes)) return a.changes.flatMap((c) => file(c as { path?: unknown; content?: unknown }));
  return file(a);
}

/** The line to add after the observation of `tool` called with `args`; '' when there is nothing useful to add. */
export function nextStepHint(tool: Tool<any> | undefined, args: unknown, result: ToolResult, ctx: NextStepContext): string {
  const { offered, testCommand } = ctx;
  const howToCheck = (): string => {
    const tests = toolForRole(offered, 'runTests');
    if (testCommand && tests) return `run the tests: ${describeCall(tests.tool, tests.call(), ctx.format)} (runs ${testCommand})`;
    const runner = toolForRole(offered, 'runCommand');
    if (!runner) return '';
    if (ctx.runCommand) return `run the command the task names: ${describeCall(runner.tool, runner.call(ctx.runCommand), ctx.format)}`;
    const command = changedFiles(args)
      .map((f) => commandToCheck(f.path, f.content))
      .find(Boolean);
    if (command) return `run it: ${describeCall(runner.tool, runner.call(command), ctx.format)}`;
    return `run it with ${runner.tool.name}`;
  };

  if (result.run) {
    const passed = runPassed(result.run);
    if (passed) {
      // small models answer once the tests pass, though the request asked for more than they check
      const asked = ctx.request ? ` Check it against everything the task asks: ${quoteRequest(ctx.request)}.` : '';
      return `Next: if this output shows the task is done, call answer with a short summary; otherwise fix the code and run it again.${asked}`;
    }
    if (ctx.newTests && assertionFailure.test(`${result.run.stdout}\n${result.run.stderr}`)) {
      // go-add-test: `Clamp(-1, -10, 10) = -1; want -10` (-1 is inside the range), and the model set out to rename Clamp
      return (
        'Next: these tests are new, and the code they test is to stay as it is: where an assertion fails, the test expects the wrong value ' +
        '(or its input does not show what its name says). For each failing assertion, work out from the code what it returns for that input, ' +
        'correct the test (the expected value, or the input), then run the tests again.'
      );
    }
    const how = [toolForRole(offered, 'readFile'), toolForRole(offered, 'editFile'), toolForRole(offered, 'createFile')].map((r) => r?.tool.name);
    const fix = how[0] && (how[1] || how[2]) ? ` (${how[0]}, then ${[how[1], how[2]].filter(Boolean).join(' or ')})` : '';
    return `Next: read the error above, fix its cause${fix}, then run it again.`;
  }
  if (result.error) {
    switch (result.error.code) {
      case 'no_match':
      case 'ambiguous':
        return (
          `Next: ${toolForRole(offered, 'readFile')?.tool.name ?? 'read'} that file and copy the exact lines to change into "find" (whole lines, ` +
          `enough of them to match one place).`
        );
      case 'stale':
        return `Next: ${toolForRole(offered, 'readFile')?.tool.name ?? 'read'} the file again, then redo the edit on its current text.`;
      default:
        return '';
    }
  }
  if (tool?.effect !== 'edit' || !result.edit) return '';
  const onlyDeleted = result.edit.applied.length > 0 && result.edit.applied.every((p) => result.edit!.deleted.includes(p));
  const check = onlyDeleted ? '' : howToCheck();
  if (result.edit.unchanged) {
    return check
      ? `Next: the file already has this content; ${check}, or call answer if the task is done.`
      : 'Next: the file already has this content; if the task is done, call answer.';
  }
  return check ? `Next: check the change, ${check}.` : '';
}

/** The request as a passing run recalls it: one line, quoted, at most 300 characters. */
function quoteRequest(request: string): string {
  const line = request.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > 300 ? `${line.slice(0, 297)}...` : line);
}

/**
 * After the intake of a question: the files it read may hold the answer already. A small model
 * shown the class with `main` went on to outline it, run a snippet and read three more files until
 * the time ran out (java-question-entry).
 */
export function questionHint(reads: ReadonlyArray<string | undefined>, answerTool: string): string {
  const files = [...new Set(reads)].filter((p): p is string => !!p);
  if (files.length === 0) return '';
  const shown = files.length === 1 ? `${files[0]} above answers` : 'the files above answer';
  return `Next: if ${shown} the question, call ${answerTool} now with the answer itself (what the question asks for, not the question); look up only what is not shown.`;
}

/**
 * The line after the intake's last look, when it ran something that failed and read code (`reads`:
 * the files it showed whole; tests do not count); '' otherwise. Files in `wholeWritten` are changed
 * by writing them whole (see whole-files.ts), and the line says so.
 */
export function afterIntakeHint(
  offered: ReadonlyArray<Tool<any>>,
  reads: ReadonlyArray<string | undefined>,
  wholeWritten: ReadonlySet<string> = new Set(),
): string {
  const code = [...new Set(reads)].filter((p): p is string => !!p && !isTestPath(p));
  if (code.length === 0) return '';
  const edit = toolForRole(offered, 'editFile')?.tool.name;
  const create = toolForRole(offered, 'createFile')?.tool.name;
  if (!edit && !create) return '';
  const start = 'Next: the failing run and the code it runs are above. Find the line that is wrong';
  const rest = 'read another file only if the fault is not in these.';
  const whole = code.filter((p) => wholeWritten.has(p));
  if (create && whole.length === code.length) {
    const which = code.length === 1 ? code[0] : 'its file';
    return `${start}, then write ${which} whole with ${create}: every line as it is, that one corrected; ${rest}`;
  }
  if (create && edit && whole.length > 0)
    return `${start} and fix it: ${whole.join(', ')} whole with ${create} (every line as it is, that one corrected), a longer file with ${edit}; ${rest}`;
  const how = edit && create ? `${edit}, or ${create} to fill in a stub` : (edit ?? create);
  return `${start} and fix it (${how}); ${rest}`;
}
