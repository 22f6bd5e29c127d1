/**
 * A move asked in so many words ("Move `requireOne` to src/cli/args.ts", "`parse_tags` and
 * `format_tags` live in tally/db/entries.py … Move both functions into a new module tally/tags.py")
 * is done first, before the model's first step, by move_symbol: the definitions, the imports their
 * code needs and every import of them, in one change set the person approves, then the tests. A
 * small model moving code by hand cuts, pastes and edits imports file by file, and misses some.
 */
import { languageOf } from '../../index/languages.ts';
import type { Action } from '../../model/language-model.ts';
import { onlyRenames } from './rename-first.ts';

const ident = '[\\p{L}_$][\\p{L}\\p{N}_$]*';

/** Whether `task` asks for code to move to another file (the move tool is offered only then). */
export function asksToMove(task: string): boolean {
  return /\b(move|moving|relocat\w*|pull\s+(?:it|them)\s+out)\b/i.test(task);
}

/** Where `name` is defined at the top level of a file, as the index says (several files: all of them). */
export type DefinedIn = (name: string) => string[];

/**
 * The names a request asks to move and the file they go to, when it says so plainly: a move verb,
 * then in the same sentence "to"/"into" a path of a code file, and names in backticks that the
 * project defines in one file other than that one. Undefined otherwise (the model does it).
 */
export function moveAsked(task: string, definedIn: DefinedIn): { names: string[]; to: string; from: string } | undefined {
  for (const sentence of task.split(/(?<=[.!?])\s+(?=[A-Z`])/)) {
    const verb = /\b(move|relocate)\b/i.exec(sentence);
    if (!verb) continue;
    const after = sentence.slice(verb.index);
    const dest = /\b(?:to|into)\s+(?:(?:a|the)\s+(?:new\s+)?(?:module|file)\s+)?`?((?:[\w.-]+\/)*[\w.-]+\.\w+)`?/i.exec(after);
    if (!dest) continue;
    const to = dest[1].replace(/^\.\//, '');
    if (!languageOf(to)) continue;
    const quoted = [...task.matchAll(new RegExp(`\`(${ident})(?:\\(\\))?\``, 'gu'))].map((m) => m[1]);
    // without backticks: the words between the verb and the destination that the project defines ("Move parse_tags and format_tags to …")
    const bare = after.slice(0, dest.index).match(new RegExp(ident, 'gu')) ?? [];
    const named = quoted.length ? quoted : bare.filter((w) => /[A-Z_\d]/.test(w.slice(1)) || w.length > 3);
    const bySource = new Map<string, string[]>();
    for (const name of new Set(named)) {
      const files = definedIn(name).filter((f) => f !== to);
      if (files.length !== 1) continue;
      bySource.set(files[0], [...(bySource.get(files[0]) ?? []), name]);
    }
    if (bySource.size !== 1) return undefined;
    const [from, names] = [...bySource.entries()][0];
    return { names, to, from };
  }
  return undefined;
}

/**
 * Whether the request asks for nothing but the move (its imports updated, the tests passing): then a
 * move the tests pass with ends the turn.
 */
export function onlyMoves(task: string): boolean {
  return onlyRenames(
    task.replace(
      /\b(?:and\s+)?(?:update|fix|change|adjust)\s+(?:every|all|the|any|its|their)?\s*(?:\w+\s+)?(?:imports?|callers|uses|references)\b[^.;]*/gi,
      '',
    ),
  );
}

/** The action the intake takes for an asked move. */
export function moveAction(tool: string, asked: { names: string[]; to: string; from: string }): Action {
  const list = asked.names.map((n) => `\`${n}\``).join(', ');
  return {
    thought: `I move ${list} from ${asked.from} to ${asked.to} in one change, with every import of ${asked.names.length > 1 ? 'them' : 'it'}, then run the tests.`,
    tool,
    args: { names: asked.names.join(', '), to: asked.to, from: asked.from },
  };
}
