/** `file` as one shell word: as it is when it has only safe characters, else in single quotes. */
export function shellQuote(file: string): string {
  return /^[\w./@%+=:,-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
}
