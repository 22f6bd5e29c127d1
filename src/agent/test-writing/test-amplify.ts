/**
 * New tests made from a kept one by changing one of its inputs (test amplification, as DSpot
 * does it): a string literal of its body grown by a character or emptied, an integer moved by one,
 * on a line that is not an assertion; the copy, renamed, is run against the code, and the values it asserts
 * are set to what the code returns (expected-values.ts) or the assertion the code fails is taken
 * out (case-tests.ts). The copy is kept only when it also fails on a broken copy of the code the
 * file let through (mutant-tests.ts). Asked in words for a test of such a case, the 1.5B model
 * wrote a copy of the test above it under the new name, every time and at every temperature
 * (ts-add-test-router: `} else if (false) {` for `expected !== actual[i]` went through them all);
 * `'/rooms/123/availability'` made `'/rooms/123/availabilityx'` is the test that catches it.
 */
import { assertion } from './case-tests.ts';
import type { TestSite } from './test-sites.ts';

/** One input of a test changed: the test's new text (renamed), and what was changed. */
export interface Amplified {
  test: string;
  what: string;
}

/** String literals (no escapes, on one line) and integers not part of a name or a decimal. */
const literals = /'([^'\\\n]*)'|"([^"\\\n]*)"|(?<![\w.$])(\d+)(?![\w.])/g;

/** The new name of a copy: a title in quotes gets `(with …)`, a function name `_2`, `_3`, … */
function renamed(def: string, n: number, change: string): string | undefined {
  const title = /(['"`])((?:(?!\1).)*)\1/.exec(def);
  if (title && /^\s*(it|test|specify|describe|context)\b|^\s*\w+\.(it|test)\b/.test(def))
    return `${def.slice(0, title.index)}${title[1]}${title[2]} (with ${change.replaceAll(title[1], '')})${title[1]}${def.slice(title.index + title[0].length)}`;
  const name = /\b(def|fn|func|void|public\s+void)\s+(\w+)/.exec(def);
  if (name) return def.replace(/\b(def|fn|func|void|public\s+void)\s+(\w+)/, `$1 $2_${n}`);
  return undefined;
}

/**
 * Copies of the test at `site` in `text` (a test file), each with one input changed and a name the
 * file does not have: first every string grown and integer raised, in the order of the test's lines,
 * then every string emptied and integer lowered; at most `limit`.
 */
export function amplified(text: string, site: TestSite, limit: number): Amplified[] {
  const lines = text.split('\n');
  const body = lines.slice(site.start, site.end + 1);
  const defAt = site.def - site.start;
  const out: Amplified[] = [];
  const seen = new Set<string>();
  for (let round = 0; round < 2 && out.length < limit; round++) {
    for (let i = defAt + 1; i < body.length && out.length < limit; i++) {
      if (assertion.test(body[i]) || /^\s*(\/\/|#|--|\/\*|\*)/.test(body[i])) continue;
      for (const m of body[i].matchAll(literals)) {
        if (out.length >= limit) break;
        const [whole, single, double, digits] = m;
        const quote = single !== undefined ? "'" : '"';
        // (round 0: strings grown and integers raised; round 1: strings emptied and integers lowered)
        const replacement =
          digits !== undefined
            ? String(round === 0 ? Number(digits) + 1 : Math.max(0, Number(digits) - 1))
            : round === 0
              ? `${quote}${single ?? double}x${quote}`
              : `${quote}${quote}`;
        if (replacement === whole) continue;
        const line = `${body[i].slice(0, m.index)}${replacement}${body[i].slice((m.index ?? 0) + whole.length)}`;
        const change = `${whole} as ${replacement}`;
        // (a name the file has not: a copy kept before is there under `_2`)
        let n = out.length + 2;
        const shown = replacement === `${quote}${quote}` && digits === undefined ? `${whole} emptied` : replacement;
        let def = renamed(body[defAt], n, shown);
        for (let tries = 0; def && tries < 20 && lines.some((l) => l.trim() === def!.trim()); tries++) def = renamed(body[defAt], ++n, `${shown}, ${n}`);
        if (!def) return out;
        const copy = [...body.slice(0, defAt), def, ...body.slice(defAt + 1, i), line, ...body.slice(i + 1)].join('\n');
        if (seen.has(copy)) continue;
        seen.add(copy);
        out.push({ test: copy, what: change });
      }
    }
  }
  return out;
}
