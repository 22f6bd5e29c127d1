/**
 * A rewrite in pieces, one at a time. A body written afresh by code completion often holds the
 * fix and, beside it, other lines written another way that break what was right: in
 * pyapp-fix-env-override the greedy body of `load_config` applied the environment after the file
 * (`values.update(read_env(env))`, the fix) and also rewrote how the file is found, so 16 tests
 * failed where 1 had. So the rewrite is tried in pieces, the rest of the body as it was: each run of
 * lines it changed together (between lines it kept), then each of its new lines alone, in place of
 * the old line it is most like or added after the line its predecessor stands for. A test run each,
 * no more writing.
 */
import { diffArrays } from 'diff';

/** Runs of changed lines a rewrite may have for each to be tried alone (more: a new body, not a fix beside a reshaping). */
const maxRuns = 4;
/** How alike two lines must be (their words, Dice) for one to stand for the other. */
const alike = 0.5;

/** Lines the rewrite kept, or a run of lines it changed: the old ones and the new. */
type Run = { removed: string[]; added: string[] };
type Segment = { kept: string[] } | Run;

/** One piece of a rewrite: the body with only it changed, and what it is, for the log. */
export interface RewritePiece {
  body: string;
  what: string;
}

/** The words of a line, each once. */
function words(line: string): Set<string> {
  return new Set(line.match(/\w+/g) ?? []);
}

/** How alike two lines are: shared words over all words (Dice), 0 to 1. */
export function likeness(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size + y.size === 0) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/**
 * `before` changed by one piece of the change to `after` each, likeliest first: none that is the
 * whole rewrite (tried already) or changes nothing.
 */
export function rewritePieces(before: string, after: string): RewritePiece[] {
  const ending = before.endsWith('\n') ? '\n' : '';
  const a = (ending ? before.slice(0, -1) : before).split('\n');
  const b = (after.endsWith('\n') ? after.slice(0, -1) : after).split('\n');
  const whole = b.join('\n');
  const out: RewritePiece[] = [];
  const add = (lines: string[], what: string) => {
    const body = lines.join('\n');
    if (body === a.join('\n') || body === whole || out.some((p) => p.body === `${body}${ending}`)) return;
    out.push({ body: `${body}${ending}`, what });
  };
  // the rewrite as lines kept and runs of changed lines (between lines kept)
  const segments: Segment[] = [];
  for (const change of diffArrays(a, b)) {
    if (!change.added && !change.removed) {
      segments.push({ kept: change.value });
      continue;
    }
    let run = segments.at(-1);
    if (!run || 'kept' in run) segments.push((run = { removed: [], added: [] }));
    (change.added ? run.added : run.removed).push(...change.value);
  }
  const runs = segments.filter((s): s is Run => !('kept' in s));
  // each run alone
  if (runs.length >= 2 && runs.length <= maxRuns) {
    for (const [i, run] of runs.entries())
      add(
        segments.flatMap((s) => ('kept' in s ? s.kept : s === run ? s.added : s.removed)),
        `part ${i + 1} alone`,
      );
  }
  // where each line of the rewrite stands in the old body: a line kept, or the old line of its run it is most like
  const standsFor: Array<number | undefined> = [];
  let ai = 0;
  for (const segment of segments) {
    if ('kept' in segment) {
      standsFor.push(...segment.kept.map(() => ai++));
      continue;
    }
    const removedFrom = ai;
    ai += segment.removed.length;
    for (const line of segment.added) {
      let best: number | undefined;
      let bestLikeness = alike;
      for (const [k, old] of segment.removed.entries()) {
        const l = likeness(line, old);
        if (l >= bestLikeness) {
          best = removedFrom + k;
          bestLikeness = l;
        }
      }
      standsFor.push(best);
    }
  }
  // each new line alone: in place of the old line it stands for, then added after the line its
  // predecessor stands for; the body's own statements (least indented) first, a line that opens or
  // closes a block never (alone it cannot parse)
  const indent = (line: string) => /^\s*/.exec(line)![0].length;
  // (not for a rewrite of one new line: in its place it is the rewrite, and beside the old one no fix)
  const fresh = b.filter((line) => /\w/.test(line) && !a.includes(line));
  const lines = [...b.entries()]
    .filter(([, line]) => fresh.length > 1 && fresh.includes(line) && !opensOrCloses(line))
    .sort(([i, x], [j, y]) => indent(x) - indent(y) || i - j);
  for (const [j, line] of lines) {
    const own = standsFor[j];
    if (own !== undefined) add([...a.slice(0, own), line, ...a.slice(own + 1)], `new line ${j + 1} for old line ${own + 1}`);
    let before = j - 1;
    while (before >= 0 && standsFor[before] === undefined) before--;
    const at = before >= 0 ? standsFor[before]! + 1 : 0;
    add([...a.slice(0, at), line, ...a.slice(at)], at > 0 ? `new line ${j + 1} after old line ${at}` : `new line ${j + 1} first`);
  }
  return out;
}

/** A line that opens a block (`if x:`, `{`, `do`) or closes one (`}`, `end`, `else`): alone it does not parse. */
function opensOrCloses(line: string): boolean {
  const t = line.trim();
  return (
    /[:{([,\\]$|\b(do|then)$/.test(t) || /^([})\]]|end\b|else\b|elif\b|elsif\b|except\b|finally\b|catch\b|rescue\b|ensure\b|case\b|when\b|default:)/.test(t)
  );
}
