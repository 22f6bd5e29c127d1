/**
 * The prose of comment lines, for telling when code completion copies the comments put above a gap
 * (the request, its paragraphs about the code) or the files read before it (the request as a file,
 * the tests) into comments instead of writing code: a small model rewraps them as it copies ("# Input: A line `[name]` starts section …" over lines cut elsewhere), so a line is
 * a copy when its words, spaces made single, are part of that prose.
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

/** Whether comment `line` copies `prose` (commentText of the comments it may copy, joined by spaces). */
export function copiesProse(line: string, prose: string): boolean {
  const text = commentText(line);
  return text !== undefined && text.length >= minProseChars && prose.includes(text);
}
