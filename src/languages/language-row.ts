/**
 * The shape of one row of the language table (languages.ts): what `assist` knows about a
 * language, part by part. A part that is missing means the feature does not cover the language
 * (PHP is indexed but has no snippet recipe; `sh` is a snippet language only).
 */
import type { LintDiagnostic } from './lint-output.ts';
import type { TestRule } from './test-rule.ts';

export interface LanguageRow {
  /** The name people read ("Python", "C++", "shell"): in notices and in the `lint.*` docs. */
  label: string;
  /** Other names the model or a person may use for it (`py`, `golang`, `c++`); lower-case, unique across rows. */
  aliases?: readonly string[];
  /** Lower-case extensions, with the dot, of its files; unique across rows. */
  extensions: readonly string[];
  /** Exact file names of its files (`Rakefile`); unique across rows. */
  fileNames?: readonly string[];
  /** The extension, without the dot, of a file of its code (`assist run` writes `final_code.<ext>`). */
  outputExtension: string;
  /** What starts a line comment (`assist run` writes a note in it when no code was produced). */
  lineComment: string;
  /** How the tree-sitter index reads it; without it files are listed without symbols. */
  index?: IndexPart;
  /** How `run_in_sandbox` runs a snippet of it; without it a snippet in it is refused. */
  snippet?: SnippetPart;
  /** The command that runs (or at least compiles) one file of it, suggested after the file is written. */
  runFile?: RunFilePart;
  /** The rules by which a project's tests in it are recognised (test-rule.ts). */
  tests?: readonly TestRule[];
  /** The check after a change to its files; a row with one gets a `lint.<id>` setting. */
  lint?: LintPart;
}

export interface IndexPart {
  /** npm package of the grammar and, when its binding holds several, the key of this one. */
  grammar: { module: string; key?: string };
  /** File under src/index/queries/ holding the definition patterns. */
  query: string;
  /** Node types that are plain identifier uses (for reference lookup). */
  identifierTypes: readonly string[];
  /**
   * Find definitions by walking only the nodes that can hold one (definition-walk.ts) instead of
   * running the query over every node. Pays where most nodes cannot hold a definition: in Python
   * no expression (lambda bodies included) holds a statement, so whole expressions are skipped
   * (about half the query's time on the standard library). In languages with closures nearly
   * every expression can hold one, the walk visits almost every node, and the one native query is
   * cheaper (the walk took 1.3-1.9x its time on Go, C, C++, JS, TS, Ruby and PHP sources).
   */
  walkDefinitions?: boolean;
  /**
   * Languages of one family refer to each other's definitions (TypeScript imports JavaScript, C++
   * includes C headers); across families a shared name is a coincidence. Default: its own id.
   */
  family?: string;
}

/**
 * A snippet is written to `file` in the work directory and run by `command`. Compiled output
 * goes to `$TMPDIR`, which every backend points at a private, writable directory.
 */
export interface SnippetPart {
  /** File name the code is written to, relative to the work directory. */
  file: string;
  /** Shell command run in the work directory. */
  command: string;
  /** The programs the command needs (what a sandbox without an image must find on the host). */
  tools: readonly string[];
}

export interface RunFilePart {
  /** The extensions it runs (default: the row's). */
  extensions?: readonly string[];
  /** The command for `file` (already a shell word); `hasMain` when its text defines a `main(`. '' for none. */
  command(file: string, hasMain: boolean): string;
  /** How a script of it starts (script-entry.ts); absent where a program starts at its `main`. */
  script?: ScriptPart;
}

/**
 * A script runs its top level: one that only defines functions runs nothing when it is run (small
 * models write `def fib(n): ...` for "a script that prints the first 10 Fibonacci numbers" and
 * never call it). Node types are the index grammar's.
 */
export interface ScriptPart {
  /** Top-level nodes that define a function: its `name` field names it, its `parameters` field lists what it takes. */
  functions: readonly string[];
  /** Top-level nodes that hold a definition in a field (`decorated_definition`'s `definition`, `export_statement`'s `declaration`). */
  wrappers?: readonly string[];
  /** Nodes that run code when reached (calls, commands). */
  calls: readonly string[];
  /** Nodes whose insides do not run when the file runs (function bodies, classes, lambdas). */
  bodies: readonly string[];
  /** Callees that only load code (`require`): a call of one runs nothing of the task. */
  loads?: readonly string[];
  /** Parameter nodes that need no argument (defaults, rest parameters): left out of the suggested call. */
  optionalParameters: readonly string[];
  /** The lines that call `name` when the file runs, with `args` as its arguments. */
  call(name: string, args: readonly string[]): string;
  /** The line that prints `text` as it is, and a newline. */
  print(text: string): string;
  /** Text that reads the command-line arguments (`sys.argv`, `$1`). */
  readsArgs: RegExp;
  /** How a person writes "the first argument" in it (`sys.argv[1]`, `$1`). */
  firstArg: string;
}

/** What a lint command builder may ask of the project (disk plus pending changes). */
export interface LintProject {
  /** Whether a project-relative file exists. */
  has(file: string): boolean;
}

/**
 * A check that runs in the sandbox after a change is applied. Only checkers that take seconds and
 * are in the sandbox image (sandbox/packages.txt) belong here; the syntax gate already refused
 * what does not parse, so these are about what parses but is wrong: undefined names, type and
 * compile errors.
 */
export interface LintPart {
  /** The extensions it checks (default: the row's). */
  extensions?: readonly string[];
  /** The checker's name, for the model and for notices. */
  tool: string;
  /** What it runs, for the docs of its `lint.<id>` setting ("`python3 -m pyflakes`"). */
  summary: string;
  /** A shell test that succeeds when the checker is installed. */
  probe: string;
  /**
   * What one run reads: the changed files alone; their packages (Go: every file of the changed
   * files' directories); or the whole project (tsc with the project's tsconfig.json). Diagnostics
   * of other files than the changed ones can come only from a wider scope.
   */
  scope: 'files' | 'package' | 'project';
  /** The shell command, run in the project's root, on these project-relative files. */
  command(files: readonly string[], project: LintProject): string;
  /** The diagnostics in the command's output (stdout and stderr together). */
  parse(output: string): LintDiagnostic[];
}
