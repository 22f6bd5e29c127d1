/**
 * Files the request says not to change ("Do not change slug.py", "Do not change the tests or
 * size.h") stay as they are for the turn: a change to one is refused with the request's own words,
 * and the text grammar offers no edit of it. The 1.5B model edited them anyway: py-add-test
 * swapped slug.py's `import re` for a mock import (and the code under test broke), c-human-size
 * wrote a function body into a comment of size.h.
 */
import type { WorkspaceView } from '../../model/text-grammar.ts';
import type { FileChange } from '../../workspace/approval.ts';
import { filesNamedIn } from './task-files.ts';

/** "do not change …", "don't modify …", "without touching …", "leave … unchanged/as it is", up to the end of the sentence (a dot in a file name ends none). */
const keepClause =
  /\b(?:do\s+not|don['’]t|never|without|must\s+not|should\s+not)\s+(?:\w+\s+){0,2}?(?:chang|modif|touch|edit|alter|rewrit)\w*\s+((?:[^.;!?\n]|\.(?=\w))*)|\bleave\s+((?:[^.;!?\n]|\.(?=\w))*?)\s+(?:unchanged|as\s+(?:it\s+is|they\s+are))/gi;

/**
 * The files `task` says not to change, as it names them: in the clause, or a file it names elsewhere
 * that the clause calls by its name or "it" ("src/http/router.ts has no tests … Don't change the
 * router itself": ts-add-test-router's model rewrote the router, and its tests passed with it).
 */
export function keptFiles(task: string): string[] {
  const out: string[] = [];
  const plain = task.replace(/`/g, '');
  const named = filesNamedIn(plain).map((file) => file.replace(/^\.\//, ''));
  for (const match of plain.matchAll(keepClause)) {
    const clause = match[1] ?? match[2] ?? '';
    const referred = clause.trim().toLowerCase();
    if (filesNamedIn(clause).length === 0) {
      // "it", "it itself": the one file the request names; "the router (itself)": the file named router.* ("the code" is
      // not a file: "Add docstrings to shop.py … Do not change the code" changes shop.py)
      const byName = named.filter((file) => {
        const stem = (file.split('/').pop() ?? '').replace(/\..*$/, '').toLowerCase();
        return new RegExp(`^the ${stem.replace(/[^a-z0-9]+/g, '[ _-]?')}( itself| module| file| class| code)?$`).test(referred);
      });
      const pronoun = /^it( itself)?$/.test(referred) && named.length === 1 ? named : [];
      for (const file of [...byName, ...pronoun]) if (!out.includes(file)) out.push(file);
      continue;
    }
    for (const file of filesNamedIn(clause)) {
      // "the public part of range_set.hpp": the rest of that file may change
      const before = clause.slice(0, clause.indexOf(file));
      if (/\b(parts?|sections?|public|signatures?|interface|api)\s+(of|in)\s+(the\s+)?$/i.test(before)) continue;
      if (!out.includes(file)) out.push(file.replace(/^\.\//, ''));
    }
  }
  return out;
}

/** Whether the project file `path` is the file the request named `named` (by path, or by a name without folders). */
function isNamed(path: string, named: string): boolean {
  return path === named || (!named.includes('/') && path.endsWith(`/${named}`));
}

export class KeptFilesGuard {
  constructor(readonly files: readonly string[]) {}

  /** Whether `path` is one of the files kept. */
  keeps(path: string): boolean {
    return this.files.some((named) => isNamed(path, named));
  }

  /** The note refusing a change set that touches a kept file, or undefined to let it through. */
  hold(changes: readonly FileChange[]): string | undefined {
    const touched = changes.map((c) => c.path).filter((p) => this.keeps(p));
    if (touched.length === 0) return undefined;
    return (
      `Not applied: the request says not to change ${touched.join(', ')}. Leave ${touched.length > 1 ? 'them' : 'it'} as ${touched.length > 1 ? 'they are' : 'it is'} ` +
      'and make the change in the other files (a new file, or the code the task is about).'
    );
  }
}

/** The grammar's view of the workspace, with no kept file to edit. */
export function withoutKeptFiles(view: WorkspaceView, guard: KeptFilesGuard | undefined): WorkspaceView {
  if (!guard || !view.seen) return view;
  return { ...view, seen: new Map([...view.seen].filter(([file]) => !guard.keeps(file))) };
}

/** The project's settings file: assist's own, loaded when a session starts (src/config/load.ts). */
const settingsFile = '.assistrc.json';

/**
 * The refusal of a change to assist's own settings that the request does not ask for. Told by
 * run_tests that no test command was found, the 1.5B model wrote .assistrc.json itself (py-add-test,
 * js-add-test: `"command": "npm test"` in a folder without package.json); settings the model writes
 * would govern the next session (its approval mode too), so they are the person's to change.
 */
export function settingsHeld(changes: readonly FileChange[], request: string): string | undefined {
  if (!changes.some((c) => c.path === settingsFile)) return undefined;
  if (/\.assistrc\b|\bassist'?s?\s+(own\s+)?(settings|config)/i.test(request)) return undefined;
  return (
    `Not applied: ${settingsFile} holds assist's own settings, which are the person's to change, and the request does not ask for that. ` +
    'To run tests with no detected command, pass `command` to run_tests; otherwise leave it and go on with the task.'
  );
}

/**
 * The refusal of a change that deletes a file the request names, when the request does not ask
 * for anything to go (delete, remove, move, rename, replace, drop). Asked to implement src/lib.rs so
 * the tests pass, the 1.5B model deleted it, then wrote over Cargo.toml (rust-keypad); the file the
 * request is about is what to change, not to lose.
 */
export function namedFileDeleted(changes: readonly FileChange[], request: string): string | undefined {
  const named = filesNamedIn(request);
  const gone = changes.filter((c) => c.after === null && c.before !== null && named.some((n) => c.path === n || c.path.endsWith(`/${n}`)));
  if (gone.length === 0) return undefined;
  if (/\b(delet|remov|mov|renam|replac|drop|get rid|clean ?up)\w*/i.test(request)) return undefined;
  const paths = gone.map((c) => c.path).join(', ');
  return (
    `Not applied: the request is about ${paths}, and deleting ${gone.length > 1 ? 'them' : 'it'} is not what it asks. ` +
    `Change the lines that are wrong with edit_file (read_file shows them).`
  );
}
