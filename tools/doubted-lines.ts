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
import { bracketDepth } from '../src/agent/test-writing/cut-blocks.ts';

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
    // a guard written in the line's place is meant before it: the line stays, after the guard
    // (rust-fix-average: at the doubt of `(sum as f64) / values.len() as f64` the model wrote
    // `if values.is_empty() { return 0.0; }`, which in the line's place dropped the mean)
    if (isGuard(after) && !squash(after).includes(squash(before))) {
      const both = `${ended}\n${before}`;
      if (seen.has(`${line}\n${both}`)) continue;
      seen.add(`${line}\n${both}`);
      out.push({ text: [...lines.slice(0, at), ended, ...lines.slice(at)].join('\n'), from: at + 1, to: at + 1, before, after: both, gap: doubt });
    }
  }
  return out;
}

/** A way out of a function or a loop. */
const exits = /\b(return|raise|throw|panic!|abort|exit|continue|break)\b/;

/**
 * Whether `written` (the lines a doubt was written as) is a guard, whole: a condition whose body
 * leaves early (`if values.is_empty() { return 0.0; }`, `if not values:` / `return 0.0`, `if (n == 0)
 * return 0;`, Ruby's `return 0.0 if values.empty?` or its `if … end`), a few lines at most.
 */
export function isGuard(written: string): boolean {
  const lines = written.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0 || lines.length > 6 || !exits.test(written)) return false;
  const first = lines[0].trim();
  // (Ruby's and Perl's modifier: the exit first, the condition after it)
  if (lines.length === 1 && /^(return|raise|next|break)\b.*\s(if|unless)\s/.test(first)) return true;
  if (!/^(if|unless|guard)\b/.test(first)) return false;
  if (bracketDepth(written) !== 0) return false;
  const last = lines[lines.length - 1].trim();
  // braces closed, a Python block under its `:`, a Ruby block to its `end`, or the exit on the condition's line
  if (first.endsWith('{')) return last.startsWith('}');
  if (first.endsWith(':')) return lines.length > 1 && lines.slice(1).every((line) => /^\s*/.exec(line)![0].length > /^\s*/.exec(lines[0])![0].length);
  if (last === 'end') return true;
  return lines.length === 1 && exits.test(first);
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
