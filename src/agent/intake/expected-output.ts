/**
 * A bug report that says what the output should be ("Fix the bug in WordCounter.java so Main prints
 * `the=2`") states its own check, and so does a request for a script that "prints exactly: Hello,
 * world!" (py-hello's model wrote a function that is never called, ran it, and saw nothing). A run of the command it names that exits 0 without that output is
 * not a success: in the eval the 1.5B model read `the=1` after a clean exit, answered "the count is
 * already correct", and an edit that renamed a method counted as the passing attempt. Such a run is
 * judged failed, for the model (its observation leads with the missing output), for the attempts and
 * for the exit status of `assist run`.
 */
import type { ToolResult } from '../../../tools/tool.ts';

/** "prints `the=2`", "should output `42`", "so that it shows \"ok\"": the text in quotes after a verb of output. */
const outputAfterVerb =
  /\b(?:prints?|printing|outputs?|shows?|displays?|echo(?:es)?|writes?\s+out|returns? the (?:line|text|output))\s+(?:out\s+)?(?:exactly\s+)?(?:`([^`\n]{1,200})`|"([^"\n]{1,200})")/i;

/** "prints exactly: Hello, world!": unquoted after "exactly", the rest of the line (a final period left out: it may be the sentence's). */
const exactlyAfterVerb = /\b(?:prints?|outputs?|shows?|displays?|echo(?:es)?)\s+exactly:?[ \t]+([^`"\s][^\n]{0,199})$/im;

/** The output a request expects of the command it names, if it says one; undefined otherwise. */
export function expectedOutputIn(task: string): string | undefined {
  // the output expected is in the last sentence that asks for it: "prints a wrong count ... so Main prints `the=2`"
  let found: string | undefined;
  for (const match of task.matchAll(new RegExp(outputAfterVerb.source, 'gi'))) found = (match[1] ?? match[2])?.trim() || found;
  return found ?? (exactlyAfterVerb.exec(task)?.[1].trim().replace(/\.$/, '') || undefined);
}

/**
 * What a run is expected to print: the run of `command`, or any run whose command names `file`;
 * `output`, or (undefined) anything at all: a script asked to print something that prints nothing
 * is not done (py-fibonacci's model wrote a function that is never called).
 */
export interface ExpectedOutput {
  command?: string;
  file?: string;
  output?: string;
  /** The request asks for just a number ("prints the number of lines … (just the number)"): anything more is not it. */
  numberOnly?: boolean;
}

/** "just the number", "only the count", "a single number": a request for a bare number. */
const bareNumber = /\b(?:just|only)\s+(?:the|a)\s+(?:number|count|total|sum|result)\b|\ba\s+single\s+number\b|\bnothing\s+but\s+the\s+(?:number|count)\b/i;

/** Whether `task` asks for output that is just a number. */
export function asksForNumberOnly(task: string): boolean {
  return bareNumber.test(task);
}

/** Whether `command` runs `file` (its path or name as a word of the command). */
export function runsFile(command: string, file: string): boolean {
  const name = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s/'"])${name}($|[\\s'";&|])`).test(command);
}

/**
 * `result` judged against the output the task expects of `command` (or of any run of `file`): such a run that
 * exits 0 without printing `expected` is marked (run.missingOutput) and its observation says so
 * first. Anything else comes back as it was.
 */
export function judgeExpectedOutput(result: ToolResult, expect: ExpectedOutput | undefined): ToolResult {
  const run = result.run;
  if (!expect || !run || run.exitCode !== 0 || run.timedOut) return result;
  const ranCommand = expect.command !== undefined && run.command.trim() === expect.command.trim();
  if (!ranCommand && !(expect.file !== undefined && runsFile(run.command, expect.file))) return result;
  if (expect.output === undefined) {
    const printed = run.stdout.trim();
    if (printed !== '' && expect.numberOnly && !/^-?\d+(?:\.\d+)?$/.test(printed)) {
      const shown = printed.length > 120 ? `${printed.slice(0, 119)}…` : printed;
      const note = `The run exited 0, but the task asks ${expect.file ?? 'it'} to print just the number, and it printed \`${shown}\`. Make it print only the number.`;
      return { ...result, run: { ...run, missingOutput: '(just a number)' }, forModel: `${note}\n${result.forModel}` };
    }
    if (printed !== '') return result;
    // (why is the agent's to say when it can: script-entry.ts; a message on stderr may say it already)
    const why = run.stderr.trim() ? ' Its stderr below may say why.' : '';
    const note = `The run exited 0 but printed nothing, and the task asks ${expect.file ?? 'it'} to print. Make it print when it runs.${why}`;
    return { ...result, run: { ...run, missingOutput: '(any output)' }, forModel: `${note}\n${result.forModel}` };
  }
  if (normalize(run.stdout).includes(normalize(expect.output))) return result;
  const note = ranCommand
    ? `The command exited 0, but the task expects it to print \`${expect.output}\` and it did not: the bug is still there. ` +
      'Find the code that produces the output below and fix it.'
    : `The run exited 0, but the task expects ${expect.file} to print \`${expect.output}\` and it did not. Make ${expect.file} print exactly that when it runs.`;
  return { ...result, run: { ...run, missingOutput: expect.output }, forModel: `${note}\n${result.forModel}` };
}

/** Spaces collapsed, so a padded column or a trailing blank does not decide the verdict. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
