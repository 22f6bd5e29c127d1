/**
 * Search/replace edits as small models write them: the exact text first; failing that, the same
 * lines with different indentation or spacing (the replacement is re-indented to fit); failing
 * that, the text with read_file's line-number prefixes removed. An anchor that is not found or
 * found more than once is an error telling the model what to include. Small models also repeat a
 * block they just wrote (seen: one correct edit written 20 times over): a block equal to an earlier
 * one, one whose change an earlier block of the same list already made, or one that searches for
 * the same lines as an earlier block (now replaced) with another replacement, is skipped.
 */
import { editDistance } from '../text/edit-distance.ts';

/** One search/replace edit. */
export interface TextEdit {
  find: string;
  replace: string;
}

/** Outcome of applying a list of edits to one text (all or nothing). */
/** `unchanged`: every edit's replacement equals its find (the edit would change nothing). */
export type EditOutcome = { ok: true; text: string } | { ok: false; code: 'no_match' | 'ambiguous' | 'invalid_args'; message: string; unchanged?: true };

interface Span {
  start: number;
  end: number;
  replace: string;
}

/**
 * The line number read_file puts before each line (`12| `), when a model copies it; also the gutter
 * of the lines a refused change shows (`> 46 | `, the error's line marked).
 */
export const viewLineNumber = /^\s*>?\s*\d+ ?\| ?/;

/** Line `n` as read_file shows it (`viewLineNumber` reads it back): the number right-aligned to `width`, then `| ` and the text. */
export function viewLine(n: number, width: number, text: string): string {
  return `${String(n).padStart(width)}| ${text}`;
}

/**
 * Applies `edits` in order to `text`; if any edit fails, none is applied. `near`: 1-based lines of
 * `text` the last failing run points at (`TextWrap.java:34: error: variable lines is already
 * defined`); an edit's anchor found at several places goes to the one place that holds such a
 * line, the lines moved by the edits before it (a small model that doubled a block kept sending the
 * anchor of both copies, and the turn ended on it).
 */
export function applyEdits(text: string, edits: TextEdit[], fileName: string, near: readonly number[] = []): EditOutcome {
  if (edits.length === 0) return { ok: false, code: 'invalid_args', message: 'No edits given. Pass at least one {find, replace}.' };
  // Small models "fix" a file by copying its lines unchanged, then read "no change" as "already correct".
  if (edits.every((e) => e.find.replace(/\r\n/g, '\n') === e.replace.replace(/\r\n/g, '\n')))
    return {
      ok: false,
      code: 'invalid_args',
      unchanged: true,
      message:
        // (not "write the replacement ...": a small model then called write_file with the content "obj['replacement']")
        `Nothing was changed: the replacement text is identical to the text to find${edits.length > 1 ? ' in every edit' : ''}, so ${fileName} ` +
        'would stay as it is. The replacement must hold the corrected lines (to add lines, the found lines with the new ones after them); ' +
        'if these lines are right as they are, the fault is elsewhere: look at the code they call or the failing test.',
    };
  let current = text;
  const done = new Set<string>();
  const found = new Set<string>();
  /** `near` in the lines of `current`. */
  let pointedAt = [...near];
  /** Line of an edit whose change the file holds already (nothing else changed): the error's place. */
  let madeAt: { label: string; line: number } | undefined;
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i];
    const label = edits.length > 1 ? `edit ${i + 1} of ${edits.length}` : 'the edit';
    const find = edit.find.replace(/\r\n/g, '\n');
    const replace = edit.replace.replace(/\r\n/g, '\n');
    const key = JSON.stringify([find, replace]);
    if (done.has(key)) continue; // the same block again
    done.add(key);
    // the same lines again with another replacement: a second version of a change already made (the
    // first wins; seen: the right fix, then a garbled copy of it that no longer matched, and both were lost)
    if (found.has(find) && !current.includes(find)) continue;
    if (find.trim() === '') {
      return {
        ok: false,
        code: 'invalid_args',
        message: `In ${label}, "find" is empty or only whitespace. Put the exact existing lines to replace in "find" (to write a whole file, use write_file).`,
      };
    }
    // lines added around the found ones, which the file holds already: the same edit sent again would
    // add them a second time (bash-normpath: one insertion applied four times in four steps, the
    // output doubling each run; then the whole script as the "replacement" of its last line); the
    // found lines occur once, so it is this place
    if (replace.includes(find) && replace !== find && find.trim() !== '' && current.includes(replace) && allIndexes(current, find).length === 1) {
      madeAt ??= { label, line: lineOf(current, current.indexOf(replace)) };
      continue;
    }
    let spans = locate(current, find, replace);
    if (spans.length > 1 && pointedAt.length > 0) {
      const pointed = spans.filter((sp) => pointedAt.some((n) => n >= lineOf(current, sp.start) && n <= lineOf(current, Math.max(sp.start, sp.end - 1))));
      if (pointed.length === 1) spans = pointed;
    }
    // an earlier block of this list already made this change (a repeat with less or more context)
    if (spans.length === 0 && i > 0 && replace.trim() !== '' && current.includes(replace) && !text.includes(replace)) continue;
    if (spans.length === 0) {
      return {
        ok: false,
        code: 'no_match',
        message:
          `In ${label}, the text to find was not found in ${fileName}. Copy the lines exactly as they are in the file (read_file shows them; ` +
          `leave out the line numbers), with a few whole lines of ` +
          `context.${closestHint(current, find)}${i > 0 ? ' (Edits apply in order: this one was looked for in the text after the earlier edits.)' : ''}`,
      };
    }
    if (spans.length > 1) {
      const lines = spans
        .slice(0, 5)
        .map((s) => lineOf(current, s.start))
        .join(', ');
      return {
        ok: false,
        code: 'ambiguous',
        message:
          `In ${label}, the text to find occurs ${spans.length} times in ${fileName} (lines ${lines}${spans.length > 5 ? ', ...' : ''}). ` +
          `Include more surrounding lines in "find" so it matches exactly one place.`,
      };
    }
    const [span] = spans;
    found.add(find);
    // the lines pointed at move with the edits before them (those inside a replaced span are gone)
    const first = lineOf(current, span.start);
    const last = lineOf(current, Math.max(span.start, span.end - 1));
    const delta = span.replace.split('\n').length - current.slice(span.start, span.end).split('\n').length;
    pointedAt = pointedAt.flatMap((n) => (n < first ? [n] : n > last ? [n + delta] : []));
    current = current.slice(0, span.start) + span.replace + current.slice(span.end);
  }
  if (madeAt && current === text)
    return {
      ok: false,
      code: 'invalid_args',
      message:
        `Nothing was changed: ${fileName} holds ${madeAt.label === 'the edit' ? "the edit's" : `${madeAt.label}'s`} replacement already, around the ` +
        `found lines (line ${madeAt.line}), so applying it would add its other lines a second time. ` +
        'Run the tests to see what the code does now, or change other lines.',
    };
  return { ok: true, text: current };
}

/** All places `find` matches, by the first strategy that finds any. */
function locate(text: string, find: string, replace: string): Span[] {
  const exact = allIndexes(text, find).map((start) => ({ start, end: start + find.length, replace }));
  if (exact.length > 0) return exact;
  const lines = matchLines(text, find, replace);
  if (lines.length > 0) return lines;
  const spaced = matchSpacing(text, find, replace);
  if (spaced.length > 0) return spaced;
  const findLines = find.split('\n').filter((l) => l !== '');
  if (findLines.length > 0 && findLines.every((l) => viewLineNumber.test(l))) {
    const strip = (s: string) =>
      s
        .split('\n')
        .map((l) => l.replace(viewLineNumber, ''))
        .join('\n');
    const replaceLines = replace.split('\n').filter((l) => l !== '');
    return locate(text, strip(find), replaceLines.every((l) => viewLineNumber.test(l)) ? strip(replace) : replace);
  }
  return [];
}

function allIndexes(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

const squash = (line: string) => line.trim().replace(/\s+/g, ' ');
const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

/** Whole lines equal after trimming and collapsing spaces; the replacement is re-indented. */
function matchLines(text: string, find: string, replace: string): Span[] {
  const findLines = trimBlankEnds(find.split('\n'));
  if (findLines.length === 0) return [];
  const wanted = findLines.map(squash);
  const textLines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of textLines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const spans: Span[] = [];
  for (let i = 0; i + wanted.length <= textLines.length; i++) {
    let ok = true;
    for (let j = 0; j < wanted.length && ok; j++) ok = squash(textLines[i + j]) === wanted[j];
    if (!ok) continue;
    const last = i + wanted.length - 1;
    const start = starts[i];
    const end = starts[last] + textLines[last].length;
    const actualIndent = indentOf(textLines[i]);
    const findIndent = indentOf(findLines[0]);
    spans.push({ start, end, replace: reindent(trimBlankEnds(replace.split('\n')).join('\n'), findIndent, actualIndent) });
  }
  return spans;
}

/** The replacement with `from` indentation swapped for `to` on every line that starts with it. */
function reindent(replace: string, from: string, to: string): string {
  if (from === to) return replace;
  return replace
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      if (line.startsWith(from)) return to + line.slice(from.length);
      return line;
    })
    .join('\n');
}

function trimBlankEnds(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

/** The find text with every run of whitespace allowed to differ (within and across lines). */
function matchSpacing(text: string, find: string, replace: string): Span[] {
  const trimmed = find.trim();
  if (trimmed === '') return [];
  const pattern = trimmed
    .split(/\s+/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const spans: Span[] = [];
  const re = new RegExp(pattern, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    spans.push({ start: m.index, end: m.index + m[0].length, replace: trimLike(find, replace) });
    re.lastIndex = m.index + 1;
  }
  return spans;
}

/** Removes from `replace` the leading/trailing whitespace that `find` had and the match left out. */
function trimLike(find: string, replace: string): string {
  const lead = /^\s*/.exec(find)![0];
  const trail = /\s*$/.exec(find)![0];
  let out = replace;
  if (lead && out.startsWith(lead)) out = out.slice(lead.length);
  if (trail && out.endsWith(trail)) out = out.slice(0, out.length - trail.length);
  return out;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** "The closest line is 12: ..." for the first line of the find text, when one is reasonably close. */
function closestHint(text: string, find: string): string {
  const first = find.split('\n').find((l) => l.trim() !== '');
  if (!first) return '';
  const target = squash(first);
  const lines = text.split('\n');
  if (lines.length > 20_000 || target.length > 300) return '';
  let best = -1;
  let bestScore = Infinity;
  for (let i = 0; i < lines.length; i++) {
    const candidate = squash(lines[i]);
    if (candidate === '' || Math.abs(candidate.length - target.length) > bestScore) continue;
    const score = editDistance(candidate, target, { limit: bestScore });
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  if (best < 0 || bestScore > Math.max(3, target.length * 0.4)) return '';
  return ` The closest line is ${best + 1}: ${JSON.stringify(lines[best].trim())}.`;
}
