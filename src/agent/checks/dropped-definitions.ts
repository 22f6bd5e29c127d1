/**
 * The refusal of a change that takes out of a file what other files of the project use. A small
 * model writing a file whole keeps the part it looked at and drops the rest: told to reject time
 * entries longer than a day, the 1.5B model wrote tally/errors.py back as 9 lines of 37, keeping
 * NotFoundError and dropping TallyError, ConfigError, ValidationError and ConflictError, which the
 * rest of the project imports, and from then on every test failed at import
 * (pyapp-fix-entry-minutes). A developer keeps what the rest of the project uses; a
 * request that asks for something to go, move or change its name may take it away.
 */
import type { RepoIndex } from '../../index/repo-index.ts';
import type { FileChange } from '../../workspace/approval.ts';
import { escapeRegex } from '../../workspace/search-query.ts';

/** Kinds of definition other files use by name (a method or a local variable is not looked up this way). */
const usedByName = new Set(['function', 'class', 'interface', 'type', 'constant', 'enum', 'struct', 'trait']);

/**
 * A request that asks for something to go, move or change its name: it may take definitions away.
 * (Not "extract": it takes lines out of functions into a new one, and the functions stay; the 1.5B
 * model, asked to extract a price parser in C++, cut three functions the tests and report.cpp link
 * against, and spent the rest of the task writing them back. Nor "inline" said of code as it is:
 * ts-extract-find-gaps' "works out the gaps … inline. … pull it out into `findGaps`" let the model
 * write src/domain/time.ts back as 19 lines of 106.)
 */
const takesAway =
  /\b(?:(?:delet|remov|mov|renam|replac|drop|split|get rid|clean ?up)\w*|inlin(?:ing|ed)\b|inline\b(?!\s*(?:[.,;:!?)]|$)|\s+(?:in|here|there|instead)\b))/i;

/**
 * Why `changes` are held back: a definition of a changed or deleted file (a function, class, type
 * or constant the index knows there, named in the file before and nowhere in it after) that other
 * project files use; undefined when none is, the request asks for something to go, or no index can tell.
 */
export function droppedDefinitions(changes: readonly FileChange[], index: RepoIndex | undefined, request: string): string | undefined {
  if (!index || takesAway.test(request)) return undefined;
  const word = (name: string, text: string) => new RegExp(`(?<![\\w$])${escapeRegex(name)}(?![\\w$])`).test(text);
  // what the same change set does elsewhere counts: a definition moved to another file, a use changed with it
  const afterOf = new Map(changes.map((c) => [c.path, c.after]));
  const definedIn = (name: string, text: string | null) =>
    text !== null && new RegExp(`\\b(def|class|function|func|fn|struct|enum|trait|interface|type|const|let|var)\\s+${escapeRegex(name)}\\b`).test(text);
  for (const change of changes) {
    if (change.before === null) continue;
    // a file deleted takes out all it defines (pyapp-fix-date-filter: told its edit did not parse, the
    // 1.5B model deleted tally/db/entries.py, and from then on every test failed at import)
    const after = change.after ?? '';
    let defs: ReturnType<RepoIndex['outline']> = [];
    try {
      defs = index.outline(change.path) ?? [];
    } catch {
      continue; // an index that cannot answer holds nothing back
    }
    const gone = [...new Set(defs.filter((d) => usedByName.has(d.kind) && d.name.length >= 3).map((d) => d.name))].filter(
      (name) => word(name, change.before!) && !word(name, after),
    );
    const users = new Map<string, string[]>();
    for (const name of gone) {
      if (changes.some((c) => c !== change && definedIn(name, c.after))) continue;
      let files: string[] = [];
      try {
        files = [...new Set(index.symbols(name, { maxRefs: 50 }).refs.map((r) => r.path))].filter((p) => p !== change.path);
      } catch {
        continue;
      }
      files = files.filter((p) => !afterOf.has(p) || word(name, afterOf.get(p) ?? ''));
      if (files.length > 0) users.set(name, files);
    }
    if (users.size === 0) continue;
    const names = [...users.keys()];
    const files = [...new Set([...users.values()].flat())];
    const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
    if (change.after === null)
      return (
        `Not deleted: ${change.path} defines ${names.map((n) => `\`${n}\``).join(', ')}, and ${shown} ` +
        `use${files.length === 1 ? 's' : ''} ${names.length === 1 ? 'it' : 'them'}. Keep the file: change only the lines that are wrong (edit_file).`
      );
    return (
      `Not applied: this change takes ${names.map((n) => `\`${n}\``).join(', ')} out of ${change.path}, and ${shown} ` +
      `use${files.length === 1 ? 's' : ''} ${names.length === 1 ? 'it' : 'them'}. Keep what the rest of the project uses: change only ` +
      `the lines that are wrong (edit_file), or write the whole file with every definition kept and the fix in it.`
    );
  }
  return undefined;
}
