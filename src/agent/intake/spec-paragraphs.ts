/**
 * The part of a request that says what one function must do. An exercise's request is a short
 * specification, a paragraph or a list per function (`format_size` writes …, `parse_size` reads …).
 * The stub fill puts it right above the function whose body the model writes, where code has its
 * doc comment, rather than only far up in a file of its own. (A probe of the 1.5B model on
 * c-human-size's two functions, five bodies each way, passed none either way: that this placement
 * helps is not shown by it.)
 */

import { escapeRegex } from '../../workspace/search-query.ts';
import { anyTestFile } from '../checks/test-guard.ts';

/** Characters of a specification put above one function at most. */
const maxSpecChars = 1500;

/** Whether `text` names `name`: as a word (`parse`, `Version.parse(`), or, for an operator (`<=>`), as it is. */
export function namesFunction(text: string, name: string): boolean {
  if (!/\w/.test(name)) return text.includes(name);
  return new RegExp(`(^|[^\\w$])${escapeRegex(name)}(?![\\w$])`).test(text);
}

/**
 * Whether `paragraph` names a test file (`version_test.rb`, `tests/keypad.rs`): it tells what to do
 * with the tests ("so that the tests in ini_get_test.sh pass … Run them with `bash ini_get_test.sh`"),
 * not what the code does; above a script's code the model wrote `bash ini_get_test.sh` under it.
 */
function namesTestFile(paragraph: string): boolean {
  return [...paragraph.matchAll(/[\w./-]+\.\w+/g)].some(([file]) => anyTestFile([file]));
}

/**
 * The paragraphs of `request` about the function `name`, of the functions `names` being written:
 * each paragraph that names it, with the paragraphs after it that name none of `names` (a list of
 * rules goes with the sentence that opens it), headings and paragraphs about the tests left out
 * (those that name a test file). When no paragraph names it
 * (Ruby's `<=>`, "compared by precedence"), or it is the only function, the whole request but its
 * headings. Cut to 1,500 characters at a paragraph's end where one fits.
 */
export function specParagraphs(request: string, name: string, names: readonly string[]): string {
  const paragraphs = request
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .filter((l) => !/^\s*#{1,6}\s/.test(l))
        .join('\n')
        .trim(),
    )
    .filter((p) => p && !namesTestFile(p));
  const others = names.filter((n) => n !== name);
  let chosen = paragraphs;
  if (others.length > 0 && paragraphs.some((p) => namesFunction(p, name))) {
    chosen = [];
    let owned = false;
    for (const p of paragraphs) {
      const named = names.filter((n) => namesFunction(p, n));
      if (named.length > 0) owned = named.includes(name);
      if (owned) chosen.push(p);
    }
  }
  const kept: string[] = [];
  let length = 0;
  for (const p of chosen) {
    if (length + p.length > maxSpecChars) {
      if (kept.length === 0) kept.push(`${p.slice(0, maxSpecChars - 3)}...`);
      break;
    }
    kept.push(p);
    length += p.length + 2;
  }
  return kept.join('\n\n');
}

/**
 * `text` as lines for a comment: each paragraph's lines joined and wrapped at 96 columns, list items
 * kept on lines of their own, paragraphs apart by an empty line.
 */
export function wrappedLines(text: string): string[] {
  const out: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    if (out.length > 0) out.push('');
    // a list item opens a line of its own; the other lines of a paragraph run on
    for (const item of paragraph.split(/\n(?=\s*(?:[-*+]|\d+[.)])\s)/)) {
      let line = '';
      for (const word of item.replace(/\s+/g, ' ').trim().split(' ')) {
        if (line && line.length + word.length + 1 > 96) {
          out.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      if (line) out.push(line);
    }
  }
  return out;
}
