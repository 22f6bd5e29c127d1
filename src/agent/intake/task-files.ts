import { languageNames, languageRow } from '../../languages/languages.ts';

/**
 * File names a request mentions ("Create hello.py that ...", "in src/lib.rs"), and which of them
 * it asks to be made, so the agent can tell a small model stuck searching for one that it does not
 * exist yet and must be written.
 */

/**
 * A path-like word: optional folders, then a name with a short extension (`src/app.ts`,
 * `count.sh`, and after more dots: `test/median.test.js`, `roombook.config.json`), not followed by
 * a call or more member access (`e.day.isoformat()` names no file).
 */
const fileWord = /(?<![\w./-])((?:[A-Za-z0-9_-]+\/)*[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\.[A-Za-z][A-Za-z0-9]{0,4})(?![\w/(-]|\.\w)/g;

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

/** Words of a sentence that asks for something new to be made. */
const makingVerb = /\b(create|write|add|make|generate|new|save|put|implement|move|extract|split)\b/i;

/** The file extensions of code in a language assist knows (the table, not the index: this module is on the CLI's light path). */
const codeExtensions = new Set(languageNames.flatMap((name) => languageRow(name).extensions.map((ext) => ext.toLowerCase())));

/** Whether `file` is code of a language assist knows, by its extension. */
const isCode = (file: string) => codeExtensions.has(file.slice(file.lastIndexOf('.')).toLowerCase());

/** Files that are not code but are written by hand: docs, settings, data. */
const documentFile = /\.(md|markdown|rst|txt|adoc|json|jsonc|ya?ml|toml|ini|cfg|conf|env|properties|csv|tsv|xml|html?|css|scss|sql)$/i;

/**
 * The files `text` asks to be made, in order: those named in a sentence that asks for something
 * new ("Write a bash script count.sh", "Write pytest tests for it in a new file tests/test_export.py"),
 * as code of a known language or a document. Not those quoted from a program's output (a fenced
 * block, a "double-quoted" message: "server.host: is missing" names no file), named by a sentence
 * that only mentions them ("still listens on the port from tally.toml"), or dotted words that are
 * no file ("every setting, written as section.key"): the hint to write them first told two bug
 * fixes to start by writing server.host and tally.toml.
 */
export function filesToCreate(text: string): string[] {
  const plain = text.replace(/```[\s\S]*?(?:```|$)/g, '\n').replace(/"[^"\n]*"/g, ' ');
  const found: string[] = [];
  for (const sentence of plain.split(/(?<=[.!?;:])\s+|\n+/)) {
    if (!makingVerb.test(sentence)) continue;
    for (const name of filesNamedIn(sentence)) if (!found.includes(name) && (isCode(name) || documentFile.test(name))) found.push(name);
  }
  return found;
}
