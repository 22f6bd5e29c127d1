/**
 * run_tests: runs the project's tests in the sandbox against the workspace with pending changes.
 * The command: the argument, else `tests.command` from the config, else detected from the project
 * files. The model gets a short summary of failures, not the whole log.
 */
import { defineTool, toolError } from './tool.ts';
import { detectTestCommand } from '../src/sandbox/test-command.ts';
import { summarizeTestOutput } from '../src/sandbox/test-summary.ts';
import { approvedRun, runRecord, statusLine } from '../src/sandbox/tool-run.ts';

export const runTestsTool = defineTool({
  name: 'run_tests',
  description:
    "Run the project's tests in the sandbox against the project including your pending changes. " +
    'Leave `command` null to use the configured or detected test command (npm test, pytest, go test, cargo test, ...). Returns pass/fail and a short summary of failures.',
  schema: {
    type: 'object',
    properties: {
      command: { type: ['string', 'null'], maxLength: 500 },
    },
  },
  readOnly: false,
  async execute(args, ctx) {
    let command = args.command?.trim() ? args.command.trim() : (ctx.config.tests.command ?? null);
    let source = args.command?.trim() ? 'given' : 'tests.command in the config';
    if (command === null) {
      const detected = await detectTestCommand(ctx.workspace.snapshot());
      if (!detected) return toolError('not_found', 'no test command found: pass `command`, or set "tests": {"command": "..."} in .assistrc.json');
      command = detected.command;
      source = `detected from ${detected.reason}`;
    }
    const timeoutMs = ctx.config.sandbox.timeoutMs;
    const outcome = await approvedRun(ctx, { command }, command);
    if ('error' in outcome) return outcome.error;
    const r = outcome.result;
    const passed = r.exitCode === 0 && !r.timedOut;
    const headline = passed ? `tests PASSED (${statusLine(r, timeoutMs)}) in ${r.durationMs} ms` : `tests FAILED: ${statusLine(r, timeoutMs)} after ${r.durationMs} ms`;
    const summary = summarizeTestOutput(r.stdout, r.stderr, { passed, maxChars: passed ? 800 : 3000 });
    let own = '';
    if (!passed && source === 'given') {
      const projectCommand = ctx.config.tests.command ?? (await detectTestCommand(ctx.workspace.snapshot()))?.command;
      if (projectCommand && projectCommand !== command) own = `\nThe project's own test command is ${projectCommand}: call run_tests with "command": null to run it.`;
    }
    return {
      forModel: `${headline}\ncommand: ${command} (${source})\n${passed ? 'last lines' : 'failure summary'}:\n${summary || '(no output)'}${own}`,
      forUser: headline,
      run: runRecord(r),
    };
  },
});
