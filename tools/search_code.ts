/**
 * search_code: lines matching a text or regex across the project, as `path:line: text`. Uses
 * ripgrep when installed and an in-process search otherwise; both give the same results. Lines of
 * files that look like secrets are left out, with a note naming the files.
 */
import { formatSearchResults, searchCode, type SearchOutcome } from '../src/workspace/code-search.ts';
import { SearchQueryError } from '../src/workspace/search-query.ts';
import { defineTool, toolError } from './tool.ts';
import { workspaceError } from './change-flow.ts';
import { secretReason } from './secret-files.ts';

/** Matching lines shown when `maxResults` is null. */
export const defaultMaxResults = 50;
/** Matching lines of a search the agent makes for the model before its first step. */
const intakeSearchResults = 10;

export const searchCodeTool = defineTool({
  name: 'search_code',
  description:
    'Search project files for a text (regex false) or a JavaScript regex (regex true); matches single lines. caseSensitive null: case-insensitive ' +
    'unless the query has capitals. glob like "*.ts" or "src/**". contextLines: lines around each match (0-10). maxResults: matching lines shown ' +
    '(default 50, up to 500). Ignored and hidden files are not searched.',
  schema: {
    type: 'object',
    properties: {
      query: { type: 'string', maxLength: 500 },
      regex: { type: ['boolean', 'null'] },
      caseSensitive: { type: ['boolean', 'null'] },
      glob: { type: ['string', 'null'], maxLength: 200 },
      contextLines: { type: ['integer', 'null'] },
      maxResults: { type: ['integer', 'null'] },
    },
  },
  effect: 'read',
  order: 70,
  roles: {
    searchText: (query, exact, regex) => ({ query, regex: !!regex, caseSensitive: exact, glob: null, contextLines: null, maxResults: intakeSearchResults }),
  },
  async execute(args, ctx) {
    const contextLines = args.contextLines ?? 0;
    const maxResults = args.maxResults ?? defaultMaxResults;
    if (!Number.isInteger(contextLines) || contextLines < 0 || contextLines > 10)
      return toolError('invalid_args', `contextLines must be between 0 and 10 (got ${contextLines}).`);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 500)
      return toolError('invalid_args', `maxResults must be between 1 and 500 (got ${maxResults}).`);
    try {
      const outcome = await searchCode(
        ctx.root,
        { query: args.query, regex: args.regex ?? false, caseSensitive: args.caseSensitive, glob: args.glob, dir: null, contextLines },
        'auto',
        ctx.signal,
        maxResults,
      );
      const { shown, secretNote } = leaveOutSecrets(outcome, ctx.config.secrets.patterns);
      const text = formatSearchResults(shown, maxResults) + secretNote;
      return { forModel: text, forUser: `${shown.matches} matching lines for ${JSON.stringify(args.query)}` };
    } catch (error) {
      if (error instanceof SearchQueryError) return toolError('invalid_args', error.message);
      if (error instanceof Error && /^Invalid glob/.test(error.message)) return toolError('invalid_args', error.message);
      return workspaceError(error);
    }
  },
});

/**
 * The outcome without the lines of files that look like secrets (their matches are taken off the
 * counts), and a note naming those files; the note is empty when there were none.
 */
function leaveOutSecrets(outcome: SearchOutcome, patterns: readonly string[]): { shown: SearchOutcome; secretNote: string } {
  const judged = new Map<string, boolean>();
  const secret = new Map<string, number>();
  for (const line of outcome.lines) {
    let isSecret = judged.get(line.path);
    if (isSecret === undefined) judged.set(line.path, (isSecret = secretReason(line.path, patterns) !== null));
    if (isSecret) secret.set(line.path, (secret.get(line.path) ?? 0) + (line.match ? 1 : 0));
  }
  if (secret.size === 0) return { shown: outcome, secretNote: '' };
  const removed = [...secret.values()].reduce((a, b) => a + b, 0);
  const files = [...secret.keys()];
  const shown: SearchOutcome = {
    ...outcome,
    lines: outcome.lines.filter((l) => !secret.has(l.path)),
    matches: outcome.matches - removed,
    matchFiles: outcome.matchFiles - files.length,
  };
  const named = files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  const secretNote =
    `\n[${removed} matching line${removed === 1 ? '' : 's'} in ${named} left out: ${files.length === 1 ? 'it looks' : 'they look'} ` +
    `like ${files.length === 1 ? 'a file' : 'files'} holding secrets. read_file asks the user before reading one.]`;
  return { shown, secretNote };
}
