/**
 * A rename asked in so many words ("Rename the function `getUserName` to `displayName` …", "`x`
 * … Rename it to `y`") is done first, before the model's first step, by rename_symbol: every
 * identifier spelled that way, in one change set the person approves, then the tests. The 1.5B
 * model, left to do it, searched and edited file by file: go-rename-type renamed the type in one
 * file, left its doc comment and the other file's use, and answered.
 */
import type { Action } from '../../model/language-model.ts';

const ident = '[\\p{L}_$][\\p{L}\\p{N}_$]*';
/** Words after "rename X to" that are not a new name. */
const plainWords = new Set(['something', 'anything', 'a', 'an', 'the', 'it', 'them', 'match', 'reflect', 'fit', 'be', 'make', 'use', 'avoid', 'say', 'show']);

/** The old and new name a request asks to rename, when it says both in backticks; undefined otherwise. */
export function renameAsked(task: string, defined: (name: string) => boolean): { name: string; newName: string } | undefined {
  const verb = /\b(renam\w*|call\s+(?:it|them)\b|change\s+(?:the|its|their)\s+names?)/i.exec(task);
  if (!verb) return undefined;
  const after = task.slice(verb.index);
  // several renames in one request: the model does them (one tool call each)
  if ((after.match(/\bto\s+`/g) ?? []).length > 1 || new RegExp(`\\band\\s+\`?${ident}\`?\\s+to\\s+\`?${ident}`, 'u').test(after)) return undefined;
  const to = new RegExp(`^(?:call\\s+(?:it|them)\\s+|[^\`]*?(?:\`(${ident})\`[^\`]*?)?\\bto\\s+)\`(${ident})\``, 'iu').exec(after);
  if (!to) {
    // without backticks: "rename calc_total to compute_total", the old name one the project defines
    const bare = new RegExp(`^renam\\w*\\s+(?:the\\s+(?:\\w+\\s+)?)?(${ident})\\s+to\\s+(${ident})(?![\\p{L}\\p{N}_$])`, 'iu').exec(after);
    if (!bare || plainWords.has(bare[2].toLowerCase()) || !defined(bare[1]) || bare[1] === bare[2]) return undefined;
    return { name: bare[1], newName: bare[2] };
  }
  const newName = to[2];
  // named between the verb and "to" ("rename the function `a` (src/x.ts) to `b`"), else the first name the request gives that the project defines ("`a` … Rename it to `b`")
  const candidates = to[1] ? [to[1]] : [...task.matchAll(new RegExp(`\`(${ident})\``, 'gu'))].map((m) => m[1]);
  const name = candidates.find((c) => c !== newName && defined(c));
  return name ? { name, newName } : undefined;
}

/**
 * Whether the request asks for nothing but the rename (and the tests to pass): then a rename the
 * tests pass with ends the turn. "… and add a docstring" leaves the rest to the model.
 */
export function onlyRenames(task: string): boolean {
  return !/\b(and|then|also|plus)\b[^.]*?\b(add|write|fix|implement|update|create|remove|delete|move|extract|document|split|merge|replace|change\s+(?!the\s+name))\w*/i.test(
    task,
  );
}

/**
 * Whether mentions of `name` in comments, strings and docs are renamed with it: when the name is
 * code-shaped (a capital, an underscore or a digit: `Rect`, `getUserName`, `calc_total`), not a
 * plain word whose other uses in prose mean something else (`add`, `total`).
 */
export function renamesMentions(name: string): boolean {
  return /[A-Z_\d]/.test(name);
}

/** The action the intake takes for an asked rename. */
export function renameAction(tool: string, asked: { name: string; newName: string }): Action {
  const mentions = renamesMentions(asked.name);
  return {
    thought: `I rename \`${asked.name}\` to \`${asked.newName}\` everywhere in one change${mentions ? ', comments and docs that name it included' : ''}, then run the tests.`,
    tool,
    args: { name: asked.name, newName: asked.newName, alsoInText: mentions },
  };
}
