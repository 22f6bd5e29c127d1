/**
 * run_in_sandbox: runs a snippet (code + language) or a shell command in the sandbox, against a
 * copy of the workspace that includes pending changes. The result is data for the model: exit
 * code, stdout, stderr, timed-out flag, duration.
 */
import { defineTool, toolError } from './tool.ts';
import { languageRecipe, supportedLanguages } from '../src/sandbox/languages.ts';
import { approvedRun, clip, runRecord, statusLine } from '../src/sandbox/tool-run.ts';

export const runInSandboxTool = defineTool({
  name: 'run_in_sandbox',
  description:
    'Run code or a shell command in an isolated sandbox (no network) that sees a copy of the project including your pending changes; nothing it writes reaches the real files. ' +
    'Give either `language` + `code` (the code is saved as assist_snippet.<ext>, or Main.java, in the project root and run), or `command` (run with sh in the project root). ' +
    'Returns exit code, stdout, stderr, whether it timed out, and the duration.',
  schema: {
    type: 'object',
    properties: {
      language: { enum: [...supportedLanguages, null] },
      code: { type: ['string', 'null'], maxLength: 20000 },
      command: { type: ['string', 'null'], maxLength: 2000 },
    },
  },
  readOnly: false,
  async execute(args, ctx) {
    const code = args.code ?? null;
    const command = args.command?.trim() ? args.command : null;
    const language = args.language ?? null;
    if (code === null && command === null) return toolError('invalid_args', 'give either `language` and `code`, or a `command`');
    if (code !== null && language === null) return toolError('invalid_args', `\`code\` needs a \`language\` (one of ${supportedLanguages.join(', ')})`);
    if (code !== null && language !== null && !languageRecipe(language)) return toolError('invalid_args', `unsupported language '${language}': use one of ${supportedLanguages.join(', ')}`);
    const recipe = code !== null && language !== null ? languageRecipe(language) : undefined;
    const shown = recipe ? `${command ?? recipe.command}   # ${recipe.name} snippet, ${code!.split('\n').length} lines` : command!;
    const timeoutMs = ctx.config.sandbox.timeoutMs;
    const outcome = await approvedRun(ctx, { command: command ?? undefined, code: code ?? undefined, language: language ?? undefined }, shown);
    if ('error' in outcome) return outcome.error;
    const r = outcome.result;
    const forModel = [
      `${statusLine(r, timeoutMs)} in ${r.durationMs} ms`,
      `command: ${r.command}`,
      `stdout:${r.stdout ? `\n${clip(r.stdout)}` : ' (empty)'}`,
      `stderr:${r.stderr ? `\n${clip(r.stderr)}` : ' (empty)'}`,
    ].join('\n');
    return {
      forModel,
      forUser: `${statusLine(r, timeoutMs)} in ${r.durationMs} ms (${ctx.sandbox?.kind ?? 'sandbox'})`,
      run: runRecord(r, { ...(code !== null ? { code } : {}), ...(recipe ? { language: recipe.name } : {}) }),
    };
  },
});
