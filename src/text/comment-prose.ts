/**
 * The prose of comment lines, for telling when code completion copies the comments put above a gap
 * (the request, its paragraphs about the code) or the files read before it (the request as a file,
 * the tests) into comments instead of writing code. A small model rewraps them as it copies ("# Input:
 * A line `[name]` starts section …", cut elsewhere), so a line is a copy when its words, spaces
 * made single, are part of that prose.
 */

/** A comment line (not a preprocessor line, a shebang or an attribute). */
const commentLine = /^\s*(?:#(?![![]|include\b|define\b|import\b|pragma\b|if|else\b|endif\b)|\/\/|--\s|;|\/\*|\*(?:\s|$))/;

/** Words of a comment shorter than this are not taken for copied prose (`# done`, `// TODO: parse`). */
const minProseChars = 24;

/** `text` with every run of spaces, tabs and newlines made one space: prose to look a copied line up in. */
export function singleSpaced(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The words of comment `line` (its markers left out, spaces made single), or undefined for a line of code. */
export function commentText(line: string): string | undefined {
  if (!commentLine.test(line)) return undefined;
  return singleSpaced(line.replace(/^\s*(?:#+|\/\/+|--|;+|\/\*+|\*+)/, '').replace(/\*\/\s*$/, ''));
}

/**
 * What `line` is to `prose` (what it may copy, single-spaced, any case): `copied` for a comment whose
 * words are part of it; `between` for a blank line or a comment too short to tell (a heading, `# ---`),
 * which a copy of paragraphs has between them; `other` for code or a comment in words of its own.
 */
export function copyKind(line: string, prose: string): 'copied' | 'between' | 'other' {
  if (line.trim() === '') return 'between';
  const text = commentText(line);
  if (text === undefined) return 'other';
  if (text.length < minProseChars) return 'between';
  return prose.toLowerCase().includes(text.toLowerCase()) ? 'copied' : 'other';
}

/**
 * The prose of the comment lines of a gap's `prefix` that the file itself (`fileText`) does not
 * have, joined: what the caller wrote above the gap for the model to read (the request, its
 * paragraphs about the code, notes on a failed try). A middle that copies it is not writing code
 * (loopGuard in model/infill.ts ends it there).
 */
export function addedProse(prefix: string, fileText: string): string {
  const own = new Set(fileText.split('\n').map((l) => l.trim()));
  const added: string[] = [];
  for (const line of prefix.split('\n')) {
    const text = own.has(line.trim()) ? undefined : commentText(line);
    if (text) added.push(text);
  }
  return added.join(' ');
}
