/**
 * search_code: lines matching a text or regex across the project, as `path:line: text`. Uses
 * ripgrep when installed and an in-process search otherwise; both give the same results.
 */
import { formatSearchResults, searchCode } from '../src/workspace/code-search.ts';
import { SearchQueryError } from '../src/workspace/search-query.ts';
import { defineTool, toolError } from './tool.ts';
import { workspaceError } from './change-flow.ts';

/** Matching lines shown when `maxResults` is null. */
export const defaultMaxResults = 50;

export const searchCodeTool = defineTool({
  name: 'search_code',
  description:
    'Search project files for a text (regex false) or a JavaScript regex (regex true); matches single lines. caseSensitive null: case-insensitive unless the query has capitals. glob like "*.ts" or "src/**". contextLines: lines around each match (0-10). maxResults: matching lines shown (default 50, up to 500). Ignored and hidden files are not searched.',
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
  async execute(args, ctx) {
    const contextLines = args.contextLines ?? 0;
    const maxResults = args.maxResults ?? defaultMaxResults;
    if (!Number.isInteger(contextLines) || contextLines < 0 || contextLines > 10) return toolError('invalid_args', `contextLines must be between 0 and 10 (got ${contextLines}).`);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 500) return toolError('invalid_args', `maxResults must be between 1 and 500 (got ${maxResults}).`);
    try {
      const outcome = await searchCode(
        ctx.root,
        { query: args.query, regex: args.regex ?? false, caseSensitive: args.caseSensitive, glob: args.glob, dir: null, contextLines },
        'auto',
        ctx.signal,
        maxResults,
      );
      const text = formatSearchResults(outcome, maxResults);
      return { forModel: text, forUser: `${outcome.matches} matching lines for ${JSON.stringify(args.query)}` };
    } catch (error) {
      if (error instanceof SearchQueryError) return toolError('invalid_args', error.message);
      if (error instanceof Error && /^Invalid glob/.test(error.message)) return toolError('invalid_args', error.message);
      return workspaceError(error);
    }
  },
});

