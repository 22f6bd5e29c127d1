/**
 * File names a request mentions ("Create hello.py that ...", "in src/lib.rs"), so the agent can
 * tell a small model stuck searching for one that it does not exist yet and must be written.
 */

/**
 * A path-like word: optional folders, then a name with a short extension (`src/app.ts`,
 * `count.sh`), not followed by a call or more member access (`e.day.isoformat()` names no file).
 */
const fileWord = /(?<![\w./-])((?:[A-Za-z0-9_-]+\/)*[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z][A-Za-z0-9]{0,4})(?![\w/(-]|\.\w)/g;

/** Names that look like files but are not (abbreviations, versions, member access in prose). */
const notFiles = new Set(['e.g', 'i.e', 'etc', 'vs']);

/** The distinct file paths named in `text`, in order of appearance. */
export function filesNamedIn(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(fileWord)) {
    const name = match[1];
    if (notFiles.has(name.toLowerCase()) || found.includes(name)) continue;
    found.push(name);
  }
  return found;
}
