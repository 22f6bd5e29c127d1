/**
 * run_tests: runs the project's tests in the sandbox against the workspace with pending changes.
 * The command: the argument, else the one the request named (the agent passes it), else
 * `tests.command` from the config, else detected from the project files. The model gets a short
 * summary of failures, not the whole log.
 */
import { defineTool, toolError } from './tool.ts';
import { projectTestCommand } from '../src/sandbox/test-command.ts';
import { summarizeTestOutput } from '../src/sandbox/test-summary.ts';
import { approvedRun, hangNote, runRecord, statusLine } from './run-flow.ts';

export const runTestsTool = defineTool({
  name: 'run_tests',
  description:
    "Run the project's tests in the sandbox against the project including your pending changes. " +
    'Leave `command` null to use the configured or detected test command (npm test, pytest, go test, cargo test, ...). Returns pass/fail and a short ' +
    'summary of failures.',
  schema: {
    type: 'object',
    properties: {
      command: { type: ['string', 'null'], maxLength: 500 },
    },
  },
  effect: 'run',
  order: 50,
  oneShot: true,
  roles: { runTests: () => ({ command: null }) },
  async execute(args, ctx) {
    const given = args.command?.trim() || null;
    const own = ctx.tests ?? (await projectTestCommand(ctx.config.tests.command, ctx.workspace.snapshot()));
    if (!given && !own) return toolError('not_found', 'no test command found for this project: pass `command`, the command that runs its tests');
    const command = given ?? own!.command;
    const source = given ? 'given' : own!.from === 'tests.command in the config' || own === ctx.tests ? own!.from : `detected from ${own!.from}`;
    const timeoutMs = ctx.config.sandbox.timeoutMs;
    const outcome = await approvedRun(ctx, { command }, command);
    if ('error' in outcome) return outcome.error;
    const r = outcome.result;
    const passed = r.exitCode === 0 && !r.timedOut;
    const headline = passed
      ? `tests PASSED (${statusLine(r, timeoutMs)}) in ${r.durationMs} ms`
      : `tests FAILED: ${statusLine(r, timeoutMs)} after ${r.durationMs} ms`;
    const summary = summarizeTestOutput(r.stdout, r.stderr, { passed, maxChars: passed ? 800 : 3000 });
    const pointer =
      !passed && given && own && own.command !== command
        ? `\nThe project's own test command is ${own.command}: call run_tests with "command": null to run it.`
        : '';
    // (the command is known right when the request named it or the config sets it; a detected one may itself hang: a watcher)
    const named = !!own && (own === ctx.tests || own.from === 'tests.command in the config') && (!given || given === own.command);
    const hang = hangNote(r, timeoutMs, 'tests', named);
    return {
      forModel: `${headline}\ncommand: ${command} (${source})\n${passed ? 'last lines' : 'failure summary'}:\n${summary || '(no output)'}${hang ? `\n${hang}` : ''}${pointer}`,
      forUser: headline,
      run: runRecord(r),
    };
  },
});
