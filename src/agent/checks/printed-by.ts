/**
 * Which line of the code printed a line of a run's output, found as a developer finds it: by the
 * text the print statement writes. A print's arguments become a pattern (its quoted text literal,
 * what it interpolates or computes a wildcard; a shell's bare words literal too), anchored at both
 * ends of an output line, and the statement whose pattern matches with the most literal text is the
 * one that printed it. A small model told that a run printed the wrong thing edits a line that
 * prints something like it: bash-count-lines' model, told that `Number of lines in count.sh: 15
 * count.sh` is not just the number, rewrote the error branch's echo (which the run never reached)
 * three times, while line 15's `echo "Number of lines in $1: $line_count"` printed it.
 */
import path from 'node:path';

/** A statement that printed an output line. */
export interface PrintedBy {
  path: string;
  /** 1-based. */
  line: number;
  /** The statement's line, trimmed. */
  text: string;
  /** The output line it printed. */
  output: string;
}

/** Words that print what follows them, in the languages the agent runs (a call, or a shell's command). */
const printWord =
  /(?:^|[^\w.])(echo|printf|print|println|puts|console\.(?:log|error|info)|System\.out\.print(?:ln|f)?|fmt\.(?:Print(?:ln|f)?|Fprint(?:ln|f)?)|std::cout|cout|Console\.Write(?:Line)?)\b/;

/** What a string interpolates (`$x`, `${x}`, `$(cmd)`, `#{x}`, `{x}`, `%d`) or escapes (`\n`): the parts of it that are not literal text. */
const interpolation = /\$\{[^}]*\}|\$\([^)]*\)|\$\w+|#\{[^}]*\}|\{[^}]*\}|%[-+ #0]*\d*(?:\.\d+)?l{0,2}[sdifgxXoceEuv]|\\[ntr0]/g;

/** Literal characters a statement's pattern must have to be taken for the printer of a line (`print(x)` prints anything). */
const minLiteral = 4;

/** Lines of output looked at, at most, and the characters of each. */
const maxOutputLines = 20;
const maxLineChars = 400;

/** A shell's `$(…)` and backquoted commands as `${}` (what they print is not known here), nested parentheses and quotes inside them included. */
function withoutSubstitutions(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return out + text.slice(i);
      out += '${}';
      i = end;
    } else if (text.startsWith('$(', i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      out += '${}';
      i = j;
    } else out += text[i];
  }
  return out;
}

/** What a print statement writes: its literal pieces in order, `null` where something not known is written. */
export interface PrintPattern {
  parts: Array<string | null>;
  /** Literal characters in all, spaces aside. */
  literal: number;
}

/** The pattern of what a print statement writes; undefined when `line` prints nothing known. */
export function printPattern(line: string, shell: boolean): PrintPattern | undefined {
  const code = line.trim();
  if (/^(#|\/\/|--|\/\*|\*)/.test(code)) return undefined;
  const word = printWord.exec(code);
  if (!word) return undefined;
  let rest = code.slice((word.index ?? 0) + word[0].length);
  // (a shell's echo flags and command substitutions, which may hold quotes of their own; a call's parentheses, a stream's <<, a statement's end)
  if (shell) rest = withoutSubstitutions(rest.replace(/^\s+-[neE]+\b/, '')).replace(/\s+[12]?>>?&?\s*\S+\s*$/, '');
  rest = rest
    .replace(/^\s*(\(|<<)/, '')
    .replace(/\s*(<<\s*(std::)?endl)?\s*\)?\s*;?\s*$/, '')
    .replace(/^\s*(stdout|stderr|os\.Stdout|os\.Stderr)\s*,\s*/, '');
  const parts: Array<string | null> = [];
  let literal = 0;
  const wild = () => {
    if (parts.at(-1) !== null) parts.push(null);
  };
  const addLiteral = (text: string) => {
    if (!text) return;
    const last = parts.at(-1);
    if (typeof last === 'string') parts[parts.length - 1] = last + text;
    else parts.push(text);
    literal += text.replace(/\s/g, '').length;
  };
  const addQuoted = (text: string) => {
    let at = 0;
    for (const m of text.matchAll(interpolation)) {
      addLiteral(text.slice(at, m.index));
      if (!/^\\[ntr0]$/.test(m[0])) wild();
      at = (m.index ?? 0) + m[0].length;
    }
    addLiteral(text.slice(at));
  };
  // quoted text literal (with its interpolations wild), the rest wild (a shell's bare words literal)
  const quoted = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g;
  let at = 0;
  const between = (text: string) => {
    const bare = text.trim();
    // (a shell's arguments print with a space between them)
    if (!bare) {
      if (shell && text && parts.length > 0) addLiteral(' ');
      return;
    }
    if (!shell) {
      // separate arguments print with a space between them (Python's print); an operator joins them (`+`, `<<`, `.`)
      wild();
      return;
    }
    // (bare words keep the spaces that part them from the arguments around them)
    addQuoted(`${/^\s/.test(text) && parts.length > 0 ? ' ' : ''}${bare.replace(/\s+/g, ' ')}${/\s$/.test(text) ? ' ' : ''}`);
  };
  for (const m of rest.matchAll(quoted)) {
    between(rest.slice(at, m.index));
    const text = m[1] ?? m[2] ?? m[3] ?? '';
    // (a shell's single quotes interpolate nothing)
    if (shell && m[2] !== undefined) addLiteral(text);
    else addQuoted(text);
    at = (m.index ?? 0) + m[0].length;
  }
  between(rest.slice(at));
  if (literal < minLiteral) return undefined;
  return { parts, literal };
}

/**
 * Whether `line` is what `pattern` writes: its literal pieces in order, the first at the line's
 * start and the last at its end unless something not known comes before or after them (spaces at
 * the ends aside). The pieces are found leftmost in turn, which is exact for pieces between
 * unknowns, with no regular expression to backtrack over a long line.
 */
export function writes(pattern: PrintPattern, line: string): boolean {
  const text = line.trim();
  const { parts } = pattern;
  const last = parts.length - 1;
  let at = 0;
  for (let i = 0; i <= last; i++) {
    let piece = parts[i];
    if (piece === null) continue;
    if (i === 0) piece = piece.trimStart();
    if (i === last) piece = piece.trimEnd();
    // (literal pieces are merged, so only the first has no unknown before it)
    const open = i > 0;
    if (i === last) {
      const from = text.length - piece.length;
      return from >= at && text.endsWith(piece) && (open || from === at);
    }
    const found = open ? text.indexOf(piece, at) : text.startsWith(piece) ? 0 : -1;
    if (found < 0) return false;
    at = found + piece.length;
  }
  return true;
}

/**
 * The statements of `files` that printed the lines of `output`, one per output line that some
 * statement matches (the one with the most literal text; none when two lines tie), in output order.
 */
export function printedBy(output: string, files: ReadonlyArray<{ path: string; text: string }>): PrintedBy[] {
  const statements: Array<{ path: string; line: number; text: string } & PrintPattern> = [];
  for (const file of files) {
    const shell = /\.(sh|bash)$/.test(path.extname(file.path)) || /^#!.*\b(ba)?sh\b/.test(file.text);
    file.text.split('\n').forEach((text, i) => {
      const found = printPattern(text, shell);
      if (found) statements.push({ path: file.path, line: i + 1, text: text.trim(), ...found });
    });
  }
  const out: PrintedBy[] = [];
  for (const line of output.split('\n').slice(0, maxOutputLines)) {
    if (!line.trim()) continue;
    const matches = statements.filter((s) => writes(s, line.slice(0, maxLineChars))).sort((a, b) => b.literal - a.literal);
    if (matches.length === 0 || (matches.length > 1 && matches[1].literal === matches[0].literal)) continue;
    const { path: file, line: at, text } = matches[0];
    if (!out.some((p) => p.path === file && p.line === at)) out.push({ path: file, line: at, text, output: line.trim() });
  }
  return out;
}

/** The note for a run whose output is not what the task expects: which lines printed it ('' when none is known). */
export function printedByNote(found: readonly PrintedBy[]): string {
  if (found.length === 0) return '';
  const shown = found.slice(0, 3).map((p) => `${p.path}:${p.line} \`${p.text.length > 100 ? `${p.text.slice(0, 99)}…` : p.text}\``);
  return `That output came from ${shown.join(' and ')}.`;
}
