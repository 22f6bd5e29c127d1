/**
 * Renders a ranking as the repo map the model reads: the most relevant files, each with the
 * signatures of its most relevant definitions, as many as fit the token budget.
 */
import type { Ranking } from './rank.ts';

/** Default token count when the caller has no tokenizer: about four characters per token. */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

type Entry = { path: string; line?: number; signature?: string };

function entriesOf(ranking: Ranking, omit: ReadonlySet<string>): Entry[] {
  const entries: Entry[] = [];
  const withDefs = new Set<string>();
  const seen = new Set<string>();
  for (const { path, def } of ranking.defs) {
    if (omit.has(path)) continue;
    const key = `${path}:${def.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    withDefs.add(path);
    entries.push({ path, line: def.line, signature: def.signature });
  }
  for (const { path } of ranking.files) if (!withDefs.has(path) && !omit.has(path)) entries.push({ path });
  return entries;
}

/** The map text of the first `count` entries: files in order of first appearance, lines in file order. */
function render(entries: Entry[], count: number): string {
  const byFile = new Map<string, Entry[]>();
  for (const entry of entries.slice(0, count)) {
    const list = byFile.get(entry.path);
    if (list) list.push(entry);
    else byFile.set(entry.path, [entry]);
  }
  const out: string[] = [];
  for (const [path, list] of byFile) {
    const lines = list.filter((e) => e.line !== undefined).sort((a, b) => a.line! - b.line!);
    if (lines.length === 0) {
      out.push(path);
      continue;
    }
    out.push(`${path}:`);
    for (const e of lines) out.push(`  ${e.line}: ${e.signature}`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/**
 * The largest prefix of the ranked entries whose rendering fits `tokenBudget` (binary search on
 * the number of entries, as aider does), files in `omit` left out (as aider leaves out the files in
 * the chat). Empty when not even one entry fits.
 */
export function renderRepoMap(
  ranking: Ranking,
  tokenBudget: number,
  countTokens: (text: string) => number = approximateTokens,
  omit: ReadonlySet<string> = new Set(),
): string {
  const entries = entriesOf(ranking, omit);
  if (tokenBudget <= 0 || entries.length === 0) return '';
  let low = 0;
  let high = Math.min(entries.length, Math.max(1, Math.floor(tokenBudget)));
  let best = '';
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const text = render(entries, middle);
    if (countTokens(text) <= tokenBudget) {
      low = middle;
      best = text;
    } else {
      high = middle - 1;
    }
  }
  return low === 0 ? '' : best || render(entries, low);
}
