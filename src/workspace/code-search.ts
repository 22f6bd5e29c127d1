/**
 * `searchCode`: ripgrep when it is installed, the in-process search otherwise; both return the
 * same lines for the same query (a test holds them to it). Also the `path:line: text` rendering.
 */
import { normaliseDir } from '../index/file-walk.ts';
import { GlobFilter, IgnoreRules } from '../index/ignore-rules.ts';
import { searchInProcess, type SearchCounts, type SearchLine } from './node-search.ts';
import { searchWithRipgrep } from './ripgrep-search.ts';
import { compileQuery, type SearchOptions } from './search-query.ts';

/** Which engine to use; `auto` prefers ripgrep. */
export type SearchEngine = 'auto' | 'ripgrep' | 'node';

/** Matching lines (with context lines), sorted by path then line; counts cover all results. */
export interface SearchOutcome extends SearchCounts {
  /** Every line, or the first `limit` matching lines (with their context) when a limit was given. */
  lines: SearchLine[];
  engine: 'ripgrep' | 'node';
}

/**
 * Searches the project. `limit` keeps only the first matching lines (the counts still cover all).
 * Throws SearchQueryError for a bad query, AbortError when aborted.
 */
export async function searchCode(
  root: string,
  options: SearchOptions,
  engine: SearchEngine = 'auto',
  signal?: AbortSignal,
  limit = Infinity,
): Promise<SearchOutcome> {
  const query = compileQuery(options);
  const rules = new IgnoreRules(root);
  const dir = normaliseDir(options.dir);
  const glob = options.glob ? new GlobFilter(options.glob) : null;
  const normalised = { ...options, dir };
  if (engine !== 'node') {
    const viaRg = await searchWithRipgrep(rules.root, normalised, query, rules, glob, dir, signal, limit);
    if (viaRg) return { ...viaRg, engine: 'ripgrep' };
    if (engine === 'ripgrep' && !query.rg) throw new Error('ripgrep cannot run this query.');
  }
  return { ...(await searchInProcess(rules.root, normalised, query, rules, signal, limit)), engine: 'node' };
}

/**
 * Renders results for the model: `path:line: text` for matches, `path-line- text` for context,
 * `--` between separate groups; at most `maxResults` matches, then a note on what was left out.
 */
export function formatSearchResults(outcome: SearchOutcome, maxResults: number, maxLineChars = 300): string {
  if (outcome.matches === 0) return 'No matches.';
  const out: string[] = [];
  let shown = 0;
  let previous: SearchLine | null = null;
  for (const l of outcome.lines) {
    if (l.match) {
      if (shown === maxResults) break;
      shown++;
    } else if (shown === maxResults && previous && (previous.path !== l.path || previous.line + 1 !== l.line)) break;
    if (previous && (previous.path !== l.path || previous.line + 1 !== l.line) && hasContext(outcome)) out.push('--');
    const text = l.text.length > maxLineChars ? `${l.text.slice(0, maxLineChars)} [... line cut at ${maxLineChars} characters]` : l.text;
    out.push(`${l.path}${l.match ? ':' : '-'}${l.line}${l.match ? ':' : '-'} ${text}`);
    previous = l;
  }
  const totalFiles = outcome.matchFiles;
  if (shown < outcome.matches) {
    out.push(
      `[Showing ${shown} of ${outcome.matches} matching lines in ${totalFiles} file${totalFiles === 1 ? '' : 's'}. Narrow the search with a more ` +
        `specific query, a glob (e.g. "*.ts") or a dir, or raise maxResults.]`,
    );
  } else {
    out.push(`[${outcome.matches} matching line${outcome.matches === 1 ? '' : 's'} in ${totalFiles} file${totalFiles === 1 ? '' : 's'}.]`);
  }
  return out.join('\n');
}

function hasContext(outcome: SearchOutcome): boolean {
  return outcome.lines.some((l) => !l.match);
}
