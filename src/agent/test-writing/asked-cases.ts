/**
 * The cases a request for tests lists: "Cover at least: a matching request gives the right handler;
 * a trailing slash is ignored; an unknown path raises …", "a test file … that checks route matching,
 * path parameters, unknown paths and wrong methods", "covering freeSlots (a day with and without
 * bookings) and findFreeRooms". A developer given such a list writes a test for each item; the
 * 1.5B model, asked for the whole file at once with the request above it, wrote two or three tests
 * of the first items and stopped, and the cases it left out were the ones a broken copy of the code
 * got through (case-tests.ts writes a test for each case).
 */

/**
 * The words that open the list: "cover(ing) (at least)", "that checks/tests/verifies", "checking",
 * "to test that", or "tests … for X:" (a colon after the tests' subject, in the same sentence).
 */
const opener =
  /\b(?:cover(?:s|ing)?(?:\s+at\s+least)?|that\s+(?:checks?|tests?|verif(?:y|ies))(?:\s+that)?|checking(?:\s+that)?|to\s+test\s+that)\b\s*:?\s*|\btests?\b(?:(?![.!?]\s)[^:\n]){0,100}:\s+/i;

/** Cases kept at most (a longer list is cut: each case is a test to write and run). */
const maxCases = 8;

/**
 * `text` split at `separator` where it stands outside brackets, backticks and quotes
 * ("a 405 whose Allow header lists every method (test a path with two methods); and …").
 */
function splitTopLevel(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '`' || ch === '"') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      const rest = text.slice(i);
      const m = separator.exec(rest);
      if (m && m.index === 0) {
        parts.push(text.slice(from, i));
        i += m[0].length - 1;
        from = i + 1;
      }
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** The end of the sentence that starts `text`: a full stop, `!` or `?` followed by a space and a capital, or a blank line, outside brackets and backticks. */
function firstSentence(text: string): string {
  const paragraph = text.split(/\n\s*\n/)[0];
  const sentences = splitTopLevel(paragraph, /[.!?]\s+(?=[A-Z])/);
  return sentences[0].replace(/\s+/g, ' ').trim();
}

/** A case as a comment reads it: no leading "and"/"or", no trailing full stop. */
const tidy = (part: string) =>
  part
    .trim()
    .replace(/^(?:and|or|also)\s+/i, '')
    .replace(/[.;,:]+$/, '')
    .trim();

/**
 * A list split at its commas; its last item split at its "and" too when that is the list's own
 * ("route matching, path parameters, unknown paths and wrong methods", where "…, and the numbering
 * of taken slugs" has it after the comma). Without commas, split at "and".
 */
function byCommas(list: string): string[] {
  const parts = splitTopLevel(list, /,\s*/);
  const last = parts.length >= 2 && !/^\s*(and|or)\s/i.test(parts.at(-1)!) ? splitTopLevel(parts.pop()!, /\s+and\s+/) : [];
  const all = parts.length >= 2 || last.length ? [...parts, ...last] : splitTopLevel(list, /\s+and\s+/);
  return all.map(tidy).filter(Boolean);
}

/** The cases the request lists for its tests, in its order; [] when it lists fewer than two. */
export function casesAsked(task: string): string[] {
  const m = opener.exec(task);
  if (!m) return [];
  const list = firstSentence(task.slice(m.index + m[0].length));
  // items separated by semicolons, else by commas ("leading and trailing separators" is one), else by "and"
  const split = (separator: RegExp) => splitTopLevel(list, separator).map(tidy).filter(Boolean);
  const bySemicolon = split(/;\s*/);
  const parts = bySemicolon.length >= 2 ? bySemicolon : byCommas(list);
  const cases = parts.filter((part) => /[A-Za-z]{3,}/.test(part));
  return cases.length >= 2 ? cases.slice(0, maxCases) : [];
}
