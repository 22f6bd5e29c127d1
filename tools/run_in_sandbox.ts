/**
 * run_in_sandbox: runs a snippet (code + language) or a shell command in the sandbox, against a
 * copy of the workspace that includes pending changes. The result is data for the model: exit
 * code, stdout, stderr, timed-out flag, duration.
 */
import { defineTool, toolError } from './tool.ts';
import { languageRecipe, supportedLanguages } from '../src/sandbox/languages.ts';
import { approvedRun, clip, hangNote, runRecord, statusLine } from './run-flow.ts';
import { withoutWrappingFence } from './file-edits.ts';

export const runInSandboxTool = defineTool({
  name: 'run_in_sandbox',
  description:
    'Run code or a shell command in an isolated sandbox (no network) that sees a copy of the project including your pending changes; nothing it ' +
    'writes reaches the real files. ' +
    'Give either `language` + `code` (the code is saved as assist_snippet.<ext>, or Main.java, in the project root and run), or `command` (run with ' +
    'sh in the project root). ' +
    'Returns exit code, stdout, stderr, whether it timed out, and the duration.',
  schema: {
    type: 'object',
    properties: {
      language: { enum: [...supportedLanguages, null] },
      code: { type: ['string', 'null'], maxLength: 20000 },
      command: { type: ['string', 'null'], maxLength: 2000 },
    },
  },
  effect: 'run',
  order: 40,
  text: { form: 'fence', arg: 'code', optional: true, needs: 'language' },
  example: { thought: 'Try the function.', args: { language: 'python', code: 'from src.greet import greet\nprint(greet("Ada"))\n', command: null } },
  oneShot: true,
  roles: { runCommand: (command) => ({ language: null, code: null, command }) },
  async execute(args, ctx) {
    // (a fence around the code, by chat habit, would run as code)
    let code = args.code === null || args.code === undefined ? null : withoutWrappingFence(args.code);
    let command = args.command?.trim() ? args.command : null;
    let language = args.language ?? null;
    const misplaced = command === null ? commandInCode(code, language) : null;
    if (misplaced) [command, code, language] = [misplaced, null, null];
    // a command with a block but no language: the command is what to run (a small model fills the block with its next step)
    const dropped = command !== null && code !== null && language === null;
    if (dropped) code = null;
    if (code === null && command === null) return toolError('invalid_args', 'give either `language` and `code`, or a `command`');
    if (code !== null && language === null) return toolError('invalid_args', `\`code\` needs a \`language\` (one of ${supportedLanguages.join(', ')})`);
    if (code !== null && language !== null && !languageRecipe(language))
      return toolError('invalid_args', `unsupported language '${language}': use one of ${supportedLanguages.join(', ')}`);
    const recipe = code !== null && language !== null ? languageRecipe(language) : undefined;
    const shown = recipe ? `${command ?? recipe.command}   # ${recipe.name} snippet, ${code!.split('\n').length} lines` : command!;
    const timeoutMs = ctx.config.sandbox.timeoutMs;
    const outcome = await approvedRun(ctx, { command: command ?? undefined, code: code ?? undefined, language: language ?? undefined }, shown);
    if ('error' in outcome) return outcome.error;
    const r = outcome.result;
    const forModel = [
      ...(misplaced ? ['(`code` held a shell command, so it ran as `command`.)'] : []),
      ...(dropped ? ['(The code block had no `language`, so only the `command` ran.)'] : []),
      `${statusLine(r, timeoutMs)} in ${r.durationMs} ms`,
      `command: ${r.command}`,
      `stdout:${r.stdout ? `\n${clip(r.stdout)}` : ' (empty)'}`,
      `stderr:${r.stderr ? `\n${clip(r.stderr)}` : ' (empty)'}`,
      ...[hangNote(r, timeoutMs, 'program')].filter(Boolean),
    ].join('\n');
    return {
      forModel,
      forUser: `${statusLine(r, timeoutMs)} in ${r.durationMs} ms (${ctx.sandbox?.kind ?? 'sandbox'})`,
      run: runRecord(r, { ...(code !== null ? { code } : {}), ...(recipe ? { language: recipe.name } : {}) }),
    };
  },
});

/** Programs a one-line shell command starts with, none of which begins a valid one-line program in a snippet language. */
const runners: ReadonlySet<string> = new Set([
  'gcc',
  'g++',
  'cc',
  'c++',
  'clang',
  'python',
  'python3',
  'pytest',
  'node',
  'npm',
  'npx',
  'tsc',
  'go',
  'cargo',
  'rustc',
  'javac',
  'java',
  'ruby',
  'bash',
  'sh',
  'make',
]);

/**
 * The shell command a model put in `code` (one line such as `gcc -Wall factorial.c -o /tmp/f`
 * with language "c"), or null. Small models copy a suggested command into `code`; compiled as
 * the snippet's language it can only fail, so it runs as the command it is. Shell snippets are
 * run by a shell anyway and are left alone.
 */
export function commandInCode(code: string | null, language: string | null): string | null {
  if (code === null || language === 'bash' || language === 'sh') return null;
  const line = code.trim();
  if (line.includes('\n')) return null;
  const first = /^(\S+)\s/.exec(line)?.[1];
  return first && runners.has(first) ? line : null;
}
