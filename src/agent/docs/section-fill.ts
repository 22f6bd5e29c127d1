/**
 * A section of a Markdown document asked for, written by code completion from the code read. Asked
 * to "Write a `## Configuration` section in README.md (before the command line section), from the
 * code", the 1.5B model in a chat read tally/config.py twice more and wrote a tally/config.yaml
 * (pyapp-readme-config); asked to add a table of the settings to roombook's Configuration section,
 * it read the four config files and then edited defaults.ts (ts-doc-readme-config). A code model
 * asked to go on with the document at the place the section goes, the code it is about read
 * before it, writes what such a document has there. The section is proposed as any change.
 */
import { type Heading, headings, markdownPath } from '../../../tools/markdown-sections.ts';
import { sampling, type ToolContext } from '../../../tools/tool.ts';
import { wrappedLines } from '../intake/spec-paragraphs.ts';
import { filesNamedIn } from '../intake/task-files.ts';
import type { CheckedTable } from './doc-facts.ts';
import { type KeyPaths, missingRows, withMissingRows } from './table-rows.ts';

/** A section asked for: where it goes in which document, and its heading. */
export interface SectionAsk {
  /** The Markdown file. */
  path: string;
  /** The heading line (`## Configuration`). */
  heading: string;
  level: number;
  /** The heading is there already: the text is added at the end of its section. */
  exists: boolean;
  /** 0-based line the text goes before. */
  at: number;
  /** What the section says of other files (their paths), for the completion to read first. */
  named: string[];
}

/** Words asking for text to be written. */
const writing = /\b(?:write|add|document|describe|create|put|list)\b/i;

/** Of `all`, the heading whose words hold `name` (case aside), the first. */
function headingNamed(all: readonly Heading[], name: string): Heading | undefined {
  const want = name.trim().toLowerCase().replace(/\s+/g, ' ');
  return all.find((h) => h.title.toLowerCase().replace(/\s+/g, ' ').includes(want));
}

/** 0-based line after the last line of the section under `heading` (up to the next of its level or above in `all`, else the end), blank lines at its end left out. */
function sectionEnd(lines: readonly string[], all: readonly Heading[], heading: Heading): number {
  const next = all.find((h) => h.line > heading.line && h.level <= heading.level);
  let end = next ? next.line : lines.length;
  while (end > heading.line + 1 && lines[end - 1].trim() === '') end--;
  return end;
}

/**
 * The section `task` asks to write in the Markdown document `path` (its text `text`), or undefined:
 * a heading quoted in the request (`## Configuration`), else a section named by its words ("the
 * Configuration section", "a Configuration section"); a new one goes before or after the section
 * the request places it by ("before the command line section"), else at the end.
 */
export function sectionAsked(task: string, path: string, text: string): SectionAsk | undefined {
  if (!markdownPath.test(path) || !writing.test(task) || !filesNamedIn(task).includes(path)) return undefined;
  const lines = text.split('\n');
  const all = headings(lines);
  const quoted = /`(#{1,6})\s+([^`\n]+?)\s*`/.exec(task);
  // (not the section a new one goes before or after)
  const worded = [...task.matchAll(/\b(?:[Tt]he|[Aa]n?)\s+(?:new\s+)?[`"']?([A-Za-z][\w-]*(?:\s+[\w-]+){0,3}?)[`"']?\s+section\b/g)].find(
    (m) => !/\b(?:before|after)\s*$/i.test(task.slice(0, m.index)),
  );
  const title = quoted?.[2] ?? worded?.[1];
  if (!title) return undefined;
  const found = headingNamed(all, title);
  if (found) {
    const end = sectionEnd(lines, all, found);
    const body = lines.slice(found.line + 1, end).join('\n');
    return { path, heading: lines[found.line].trim(), level: found.level, exists: true, at: end, named: filesNamedIn(body).filter((f) => f !== path) };
  }
  const level = quoted ? quoted[1].length : 2;
  const heading = `${'#'.repeat(level)} ${title.trim()}`;
  const before = /\bbefore the\s+[`"']?([\w -]+?)[`"']?\s+section\b/i.exec(task);
  const after = /\bafter the\s+[`"']?([\w -]+?)[`"']?\s+section\b/i.exec(task);
  const beforeHeading = before ? headingNamed(all, before[1]) : undefined;
  const afterHeading = after ? headingNamed(all, after[1]) : undefined;
  let at = lines.length;
  while (at > 0 && lines[at - 1].trim() === '') at--;
  if (beforeHeading) at = beforeHeading.line;
  else if (afterHeading) at = sectionEnd(lines, all, afterHeading);
  return { path, heading, level, exists: false, at, named: [] };
}

/** Tokens the section may take (a table of a dozen settings; the eval's sections, reading included, took 49-62 s a turn). */
const maxSectionTokens = 700;

/** Tokens of the code the model reads first, with the document around the gap (tally/config.py, 7,600 characters, did not fit the usual 3,072). */
const sectionContextTokens = 6144;

/** Lines of the document after the gap the model reads (what follows the section). */
const linesAfter = 8;

/** Words a written section has at least to be kept. */
const minSectionWords = 12;

/** Sections written at most: the most usual, then a sample when that says nothing. */
const sectionTries = 2;

/**
 * Whether the request asks for a table (not a table of contents): the gap then starts with `|`.
 * Asked to "Add a table there with every setting …" at the end of roombook's Configuration section,
 * the 1.5B model wrote nothing, greedy or sampled; with the gap begun as a table's first cell it
 * wrote the header and a row per setting.
 */
export function asksForTable(task: string): boolean {
  return /\btables?\b(?!\s+of\s+contents)/i.test(task);
}

/** The request as a Markdown comment, wrapped as a comment above code is (`--` would end it early). */
function requestComment(task: string): string {
  return `<!--\n${wrappedLines(`Request: ${task.replace(/--/g, '-')}`).join('\n')}\n-->\n`;
}

/**
 * `text` (of `ask.path`) with the section written by `ctx.infill` at its place: a new one under its
 * heading, or the end of one that is there, the request as a comment (not written into the file)
 * right above the gap, where code completion reads what to write, as above a function it writes.
 * `text` is undefined when the model wrote nothing that reads as prose or a table (a line or two),
 * or cannot write; `written`: what it wrote, for the log (as kept). `check`: what is done to what it
 * wrote before it is kept (the names of a table looked up; `fixed` says which were replaced).
 * `objects`: the key paths of the objects in the code read; a table that lists most of one's gets
 * a row for each of its paths it left out (table-rows.ts; `rows` says which).
 */
export async function fillSection(
  ctx: ToolContext,
  ask: SectionAsk,
  task: string,
  text: string,
  timeoutMs: number,
  { check, objects }: { check?: (lines: string[]) => Promise<CheckedTable>; objects?: readonly KeyPaths[] } = {},
): Promise<{ text?: string; written: string[]; fixed?: CheckedTable['fixed']; rows?: string[] }> {
  const lines = text.split('\n');
  const head = lines.slice(0, ask.at);
  const blankAbove = head.length && head.at(-1)!.trim() ? [''] : [];
  const opening = ask.exists ? [...head, ...blankAbove] : [...head, ...blankAbove, ask.heading, ''];
  const rest = lines.slice(ask.at);
  const stops = Array.from({ length: ask.level }, (_, i) => `\n${'#'.repeat(i + 1)} `);
  const started = Date.now();
  // (what the gap starts with, written by assist: the first cell of a table asked for)
  const lead = asksForTable(task) ? '|' : '';
  // (a new section's request above its heading; a section that is there, at its end)
  const before = ask.exists
    ? `${opening.join('\n')}\n${requestComment(task)}`
    : `${[...head, ...blankAbove].join('\n')}\n${requestComment(task)}${ask.heading}\n\n`;
  const after = `\n${rest.slice(0, linesAfter).join('\n')}`;
  let written: string[] = [];
  for (let seed = 0; seed < sectionTries && ctx.infill && !ctx.signal.aborted; seed++) {
    const left = timeoutMs - (Date.now() - started);
    if (left < 10_000) break;
    let middle: string | undefined;
    try {
      middle = await ctx.infill({
        path: ask.path,
        prefix: `${before}${lead}`,
        suffix: after,
        maxTokens: maxSectionTokens,
        stops,
        timeoutMs: left,
        contextTokens: sectionContextTokens,
        ...sampling(seed),
      });
    } catch {
      break;
    }
    written = sectionText(middle === undefined ? '' : `${lead}${middle}`, ask.level);
    const words = written.join(' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    if (written.length >= 2 && words >= minSectionWords) {
      const tail = rest.length && rest[0].trim() !== '' ? ['', ...rest] : rest.length ? rest : [''];
      // (a table's rows for the settings it left out, then its names the project does not have looked up)
      const missing = objects ? missingRows(written, objects) : [];
      const rows = missing.length
        ? await withMissingRows(ctx, ask.path, written, missing, { before, after, contextTokens: sectionContextTokens }, timeoutMs - (Date.now() - started))
        : undefined;
      const checked = check ? await check(rows?.lines ?? written) : undefined;
      const lines = checked?.lines ?? rows?.lines ?? written;
      return {
        text: [...opening, ...lines, ...tail].join('\n'),
        written: lines,
        ...(checked?.fixed.length ? { fixed: checked.fixed } : {}),
        ...(rows?.written.length ? { rows: rows.written } : {}),
      };
    }
  }
  return { written };
}

/** The lines of `middle` up to a heading of `level` or above (not one in fenced code), blank lines around them left out. */
function sectionText(middle: string, level: number): string[] {
  const lines = middle.split('\n');
  const next = headings(lines).find((h) => h.level <= level);
  const written = lines.slice(0, next?.line).map((line) => line.trimEnd());
  while (written.length && written[0] === '') written.shift();
  // (the request's comment written again is not the section)
  if (written[0]?.trimStart().startsWith('<!--')) {
    const end = written.findIndex((line) => line.includes('-->'));
    written.splice(0, end < 0 ? written.length : end + 1);
  }
  while (written.length && written.at(-1) === '') written.pop();
  while (written.length && written[0] === '') written.shift();
  return written;
}
