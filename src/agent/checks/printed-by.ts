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

/** Lines of output looked at, at most. */
const maxOutputLines = 20;

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

/** The pattern of what a print statement writes, and how much of it is literal text; undefined when `line` prints nothing known. */
export function printPattern(line: string, shell: boolean): { pattern: RegExp; literal: number } | undefined {
  const code = line.trim();
  if (/^(#|\/\/|--|\/\*|\*)/.test(code)) return undefined;
  const word = printWord.exec(code);
  if (!word) return undefined;
  let rest = code.slice((word.index ?? 0) + word[0].length);
  // (a shell's echo flags and command substitutions, which may hold quotes of their own; a call's parentheses, a stream's <<, a statement's end)
  if (shell) rest = withoutSubstitutions(rest.replace(/^\s+-[neE]+\b/, ''));
  rest = rest
    .replace(/^\s*(\(|<<)/, '')
    .replace(/\s*(<<\s*(std::)?endl)?\s*\)?\s*;?\s*$/, '')
    .replace(/^\s*(stdout|stderr|os\.Stdout|os\.Stderr)\s*,\s*/, '');
  const parts: string[] = [];
  let literal = 0;
  const wild = () => {
    if (parts.at(-1) !== '.*') parts.push('.*');
  };
  const addLiteral = (text: string) => {
    if (!text) return;
    parts.push(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
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
    if (!bare) return;
    if (!shell) {
      // separate arguments print with a space between them (Python's print); an operator joins them (`+`, `<<`, `.`)
      wild();
      return;
    }
    addQuoted(bare.replace(/\s+/g, ' '));
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
  return { pattern: new RegExp(`^\\s*${parts.join('')}\\s*$`), literal };
}

/**
 * The statements of `files` that printed the lines of `output`, one per output line that some
 * statement matches (the one with the most literal text; none when two lines tie), in output order.
 */
export function printedBy(output: string, files: ReadonlyArray<{ path: string; text: string }>): PrintedBy[] {
  const statements: Array<{ path: string; line: number; text: string; pattern: RegExp; literal: number }> = [];
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
    const matches = statements.filter((s) => s.pattern.test(line)).sort((a, b) => b.literal - a.literal);
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
