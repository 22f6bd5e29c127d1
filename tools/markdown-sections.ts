/**
 * A whole write of an existing Markdown document keeps the sections it leaves out. Asked to add a
 * table to README.md's Configuration section, the 1.5B model wrote the README again with its
 * Configuration section and the ones above it, and without "## HTTP API", "## Command line" and
 * "## Booking rules" (ts-doc-readme-config: 133 lines became 47, too many kept for the shrink guard
 * to refuse it). A section the written text does not have is put back where it stood: after the
 * section it followed, as the text has that one now. Sections the text has are as written (the
 * model may have changed them, as asked); removing a section is an edit_file that removes it.
 */

/** A Markdown file, by its name. */
export const markdownPath = /\.(md|markdown)$/i;

/** The rule under a table's header (`|---|:--:|`). */
export const tableRule = /^\s*\|[\s|:-]+\|\s*$/;

/** Whether `line` is a row of a table (its header or a body row; not the rule under the header). */
export function isTableRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line) && !tableRule.test(line);
}

interface Section {
  /** The heading line as written ('' for the text before the first heading). */
  heading: string;
  /** The heading's level and words, and which of the headings alike it is: what finds it again in the other text. */
  key: string;
  lines: string[];
}

const headingLine = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const fenceLine = /^ {0,3}(`{3,}|~{3,})/;

/** An ATX heading of a Markdown text: its 0-based line, level and words. */
export interface Heading {
  line: number;
  level: number;
  title: string;
}

/** The ATX headings of `lines`, not those in fenced code (a fence closes on its own character, as long or longer). */
export function headings(lines: readonly string[]): Heading[] {
  const out: Heading[] = [];
  let fence: string | undefined;
  lines.forEach((line, i) => {
    const opens = fenceLine.exec(line)?.[1];
    if (opens && (!fence || (opens[0] === fence[0] && opens.length >= fence.length))) fence = fence ? undefined : opens;
    const heading = fence ? undefined : headingLine.exec(line);
    if (heading) out.push({ line: i, level: heading[1].length, title: heading[2].trim() });
  });
  return out;
}

/** `text` cut at its ATX headings: the lead, then each heading with the lines up to the next. */
function sections(text: string): Section[] {
  const lines = text.split('\n');
  const out: Section[] = [{ heading: '', key: '', lines: [] }];
  const seen = new Map<string, number>();
  const at = new Map(headings(lines).map((h) => [h.line, h]));
  lines.forEach((line, i) => {
    const heading = at.get(i);
    if (heading) {
      const words = `${heading.level} ${heading.title.toLowerCase().replace(/\s+/g, ' ')}`;
      const nth = (seen.get(words) ?? 0) + 1;
      seen.set(words, nth);
      out.push({ heading: line.trim(), key: `${words}#${nth}`, lines: [line] });
    } else out.at(-1)!.lines.push(line);
  });
  return out;
}

/**
 * `after` (the written text of a Markdown file that held `before`) with the sections of `before` it
 * left out put back, each after the section it followed in `before` (or after the lead, when none
 * before it is kept); `kept` names them. `after` as it is when it leaves none out, or has no heading
 * at all (a fragment, not the document written again: the other guards judge it).
 */
export function keepLeftOutSections(before: string, after: string): { text: string; kept: string[] } {
  const old = sections(before);
  const written = sections(after);
  if (written.length === 1) return { text: after, kept: [] };
  const has = new Set(written.map((s) => s.key));
  const left = old.filter((s) => s.key && !has.has(s.key));
  if (left.length === 0) return { text: after, kept: [] };
  // the sections left out, by the key of the last section before them that the text has ('' : the lead)
  const putAfter = new Map<string, Section[]>();
  let anchor = '';
  for (const section of old) {
    if (has.has(section.key)) anchor = section.key;
    else if (section.key) putAfter.set(anchor, [...(putAfter.get(anchor) ?? []), section]);
  }
  const out: string[][] = [];
  for (const section of written) {
    const own = [...section.lines];
    const back = putAfter.get(section.key) ?? [];
    // (a section put back starts on a line of its own after a blank one, as the document had it)
    if (back.length && own.length && own.at(-1) !== '') own.push('');
    out.push(own, ...back.map((s) => (s.lines.at(-1) === '' ? s.lines : [...s.lines, ''])));
  }
  let text = out.flat().join('\n');
  // (the file's own ending: the written text's)
  text = `${text.replace(/\n+$/, '')}${/\n$/.test(after) ? '\n' : ''}`;
  return { text, kept: left.map((s) => s.heading) };
}
