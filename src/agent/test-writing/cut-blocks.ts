/**
 * Code completion's text cut off inside a block, closed. A small model writing a test file may
 * repeat one line until the loop check or the token limit stops it, inside a test it never ends:
 * asked for minitest tests of Slug, the 1.5B model wrote the head, `class SlugTest < Minitest::Test`,
 * `def test_slugify` and one right assertion twelve times (ruby-add-test-slug); with no `end`, no
 * test was found in it and the file was dropped, twice. Closed, it is a test like any other: run,
 * kept when it passes, and the cases asked for are added after it.
 *
 * The last line is dropped when it has no line end (cut in the middle), a line repeated three
 * times or more in a row is kept once, and each block the last line is still in gets its closer at
 * its own indentation, innermost first: the brackets its first line left open, reversed (`});`
 * after `test('…', () => {` in JavaScript), or Ruby's `end`. Indented Python needs none.
 */
import { languageOf } from '../../index/languages.ts';

/** A Ruby line that opens a block `end` closes (not a one-line `def x = …`, nor a modifier `if`). */
const rubyOpener = /^\s*(?:(?:class|module|def|if|unless|while|until|case|begin)\b(?!.*\bend\s*$)(?!\s*\S+\s*=[^=])|.*\bdo(?:\s*\|[^|]*\|)?\s*$)/;

const indentOf = (line: string) => /^\s*/.exec(line)?.[0] ?? '';

/** `text` without its quoted strings (brackets in them are not code's). */
const outsideStrings = (text: string) => text.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '');

/** Brackets `text` opens less those it closes, outside its quoted strings. */
export function bracketDepth(text: string): number {
  let depth = 0;
  for (const ch of outsideStrings(text)) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
  }
  return depth;
}

/** The brackets `line` opens and does not close, outside its quoted strings, in order. */
function openBrackets(line: string): string[] {
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const ch of outsideStrings(line).replace(/\s(#|\/\/).*$/, '')) {
    if ('([{'.includes(ch)) open.push(ch);
    else if (ch in pairs && open.at(-1) === pairs[ch]) open.pop();
  }
  return open;
}

/** `lines` with each run of three or more identical non-blank lines kept once. */
function withoutLoops(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    while (j < lines.length && lines[j] === lines[i]) j++;
    out.push(...(j - i >= 3 && lines[i].trim() ? [lines[i]] : lines.slice(i, j)));
    i = j;
  }
  return out;
}

/**
 * `text` (code completion's text for `path`, cut off) with its open blocks closed; `text` as it is
 * when nothing is open, or in Python, where indentation closes blocks.
 */
export function closedBlocks(path: string, text: string): string {
  const language = languageOf(path);
  if (language === null || language === 'python') return text;
  const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = withoutLoops(whole.replace(/\s+$/, '').split('\n'));
  // (a block opened on the last line has nothing in it yet: the line goes)
  const opens = (line: string) => openBrackets(line).length > 0 || (language === 'ruby' && rubyOpener.test(line));
  while (lines.length > 1 && (opens(lines[lines.length - 1]) || !lines[lines.length - 1].trim())) lines.pop();
  let last = lines.length - 1;
  if (last < 0 || !lines[last].trim()) return text;
  const closers: string[] = [];
  // (the blocks the last line is in: each line above it less indented than all below)
  let indent = indentOf(lines[last]).length;
  for (let i = last - 1; i >= 0 && indent > 0; i--) {
    const line = lines[i];
    if (!line.trim() || indentOf(line).length >= indent) continue;
    indent = indentOf(line).length;
    const open = openBrackets(line);
    const close = open
      .reverse()
      .map((ch) => ({ '(': ')', '[': ']', '{': '}' })[ch])
      .join('');
    const semicolon = close.includes(')') && (language === 'javascript' || language === 'typescript' || language === 'tsx') ? ';' : '';
    closers.push(`${indentOf(line)}${close ? `${close}${semicolon}` : language === 'ruby' ? 'end' : '}'}`);
    last = i;
  }
  if (closers.length === 0) return text;
  return `${[...lines, ...closers].join('\n')}\n`;
}
