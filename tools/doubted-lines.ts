/**
 * One-line changes of a function that the model itself suggests: it reads the function (its request
 * as a comment above it, as for a body rewrite) and says which tokens it would not have written
 * (src/model/token-doubts.ts); each such line, written the model's way, is a candidate. A rewrite
 * of the whole body fixes a short function, but in a longer one it also renames and reshapes what
 * was right (pyapp-fix-date-filter: the greedy body of `where` had `day <= ?`, the fix, and returned
 * its conditions in another shape, so 4 tests failed instead of 2); a one-line change keeps the rest.
 */
import type { SymbolDef } from '../src/index/repo-index.ts';
import { bodyGap, type NewBody, type RewriteHow, regionGap, squash } from './body-rewrite.ts';
import type { ToolContext } from './tool.ts';

/** Doubts read per function: a one-line bug's own was among the 8 strongest in each of the eval's (a probe). */
const doubtsRead = 8;

/** A line changed the model's way, with how strongly the model doubted it as it was (a difference of logits). */
export type DoubtedLine = NewBody & { gap: number };

/**
 * The file with one line of `def`'s body changed the model's way, for each of its strongest doubts
 * there: the lines as the model writes them on from its own token (strongest doubt first), then
 * the lines with only that token put in; each new line once, none that changes nothing or breaks the line. Empty
 * when the model cannot say (no `ctx.doubts`, a body that cannot be found or is too long, an error).
 */
export async function doubtedLines(
  ctx: ToolContext,
  rel: string,
  text: string,
  def: SymbolDef | { region: { from: number; to: number } },
  how: Pick<RewriteHow, 'request' | 'timeoutMs'> = {},
): Promise<DoubtedLine[]> {
  if (!ctx.doubts) return [];
  const lines = text.split('\n');
  // (or a script's top-level lines, where no function holds the code: body-rewrite.ts regionGap)
  const gap = 'region' in def ? regionGap(lines, def.region, how) : bodyGap(rel, lines, def, how);
  if (!gap) return [];
  const body = lines.slice(gap.start, gap.end + 1);
  let doubts: Awaited<ReturnType<NonNullable<ToolContext['doubts']>>>;
  try {
    doubts = await ctx.doubts({
      path: rel,
      prefix: gap.prefix,
      lines: body,
      doubtable: codeLines(body),
      maxDoubts: doubtsRead,
      ...(how.timeoutMs ? { timeoutMs: how.timeoutMs } : {}),
    });
  } catch {
    return [];
  }
  const out: DoubtedLine[] = [];
  const seen = new Set<string>();
  // every line as the model writes it on first (in the probe the fix more often), then those with only the token put in
  const ways = [
    ...(doubts ?? []).map((d) => ({ line: d.line, gap: d.gap, after: d.continued })),
    ...(doubts ?? []).map((d) => ({ line: d.line, gap: d.gap, after: d.substituted })),
  ];
  for (const { line, gap: doubt, after } of ways) {
    const before = body[line];
    if (before === undefined || after === undefined || after.trim() === '' || squash(after) === squash(before) || seen.has(`${line}\n${after}`)) continue;
    seen.add(`${line}\n${after}`);
    const at = gap.start + line;
    // (a file with CRLF line ends keeps them on the changed line)
    const ended = before.endsWith('\r') && !after.endsWith('\r') ? `${after}\r` : after;
    out.push({ text: [...lines.slice(0, at), ended, ...lines.slice(at + 1)].join('\n'), from: at + 1, to: at + 1, before, after: ended, gap: doubt });
  }
  return out;
}

/**
 * Which lines of a body are code a doubt may be about: not blank, not a comment, not a docstring or
 * the inside of a string of several lines (whose prose the model would always word otherwise).
 */
export function codeLines(body: readonly string[]): boolean[] {
  let open: string | undefined;
  return body.map((line) => {
    const trimmed = line.trim();
    const quotes = [...trimmed.matchAll(/"""|'''/g)].map((m) => m[0]);
    if (open) {
      if (quotes.includes(open)) open = undefined;
      return false;
    }
    // an odd number of triple quotes opens a string that goes on past the line
    if (quotes.length % 2 === 1) open = quotes[quotes.length - 1];
    if (/^[rubf]*("""|''')/i.test(trimmed)) return false;
    return trimmed !== '' && !/^(\/\/|#|\/\*|\*|--)/.test(trimmed);
  });
}
