/**
 * What running a script file would do, read from its syntax tree: nothing, when its top level only
 * defines functions (py-hello's and py-fibonacci's model wrote `def fib(n): ...`, ran the file, saw
 * no output, and changed the lines inside the function three times); and whether it reads its
 * command-line arguments, so a run without any cannot show it works (bash-count-lines ran
 * `bash count.sh` on a script that counts the lines of `$1`). Languages whose files are scripts
 * have a `runFile.script` part in the language table; the rest start at a `main` and are left out.
 */
import path from 'node:path';
import type Parser from 'tree-sitter';
import { parseText } from '../../index/extract-symbols.ts';
import { languageOf } from '../../index/languages.ts';
import type { ScriptPart } from '../../languages/language-row.ts';
import { languageRow } from '../../languages/languages.ts';

/** A function the script defines and never calls, with the lines that would call it. */
export interface UncalledEntry {
  /** The function to call: `main` if there is one, else the last one defined. */
  name: string;
  /** Its required parameters' names. */
  params: string[];
  /** The arguments of the call: none for no parameters, or the one number the request names for one parameter; undefined when not known. */
  args?: string[];
  /** Every top-level function's name, in file order. */
  defined: string[];
  /** The lines to add at the end of the file, when `args` are known. */
  call?: string;
}

/** The script part of the language of `file`, if its files run as scripts. */
function scriptPart(file: string): ScriptPart | undefined {
  const language = languageOf(file);
  if (!language) return undefined;
  const runFile = languageRow(language).runFile as { extensions?: readonly string[]; script?: ScriptPart } | undefined;
  if (!runFile?.script) return undefined;
  // (a TypeScript file is its own row; a header of C++ is checked, not run)
  if (runFile.extensions && !runFile.extensions.includes(path.extname(file).toLowerCase())) return undefined;
  return runFile.script;
}

/**
 * The function `file` (with text `text`) defines but nothing at its top level runs, or undefined:
 * the top level runs something (a call, a command, a `__main__` block), defines no function, does
 * not parse, or the language starts at `main`.
 */
export function uncalledEntry(file: string, text: string, request = ''): UncalledEntry | undefined {
  const part = scriptPart(file);
  const language = languageOf(file);
  if (!part || !language) return undefined;
  let root: Parser.SyntaxNode;
  try {
    root = parseText(language, text).rootNode;
  } catch {
    return undefined;
  }
  if (root.hasError) return undefined;
  const functions: Parser.SyntaxNode[] = [];
  for (const node of root.namedChildren) {
    const fn = functionIn(node, part);
    if (fn) functions.push(fn);
    else if (runs(node, part)) return undefined;
  }
  const named = functions.map((fn) => ({ fn, name: fn.childForFieldName('name')?.text ?? '' })).filter((f) => f.name);
  if (named.length === 0) return undefined;
  const entry = named.find((f) => f.name === 'main') ?? named[named.length - 1];
  const params = requiredParams(entry.fn, part);
  const args = params.length === 0 ? [] : argumentsFrom(request, params);
  return { name: entry.name, params, defined: named.map((f) => f.name), ...(args ? { args, call: part.call(entry.name, args) } : {}) };
}

/**
 * The argument of a one-parameter entry from the request: the one whole number it names outside
 * parentheses and file names ("the first 10 Fibonacci numbers (starting 0, 1)": 10). Anything else
 * is the model's to choose: shown `fib(n)` to copy, the 1.5B model wrote `fib(n)` and got a NameError.
 */
function argumentsFrom(request: string, params: readonly string[]): string[] | undefined {
  if (params.length !== 1) return undefined;
  const prose = request
    .replace(/\([^)]*\)/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/[\w./-]*[A-Za-z][\w./-]*\.[A-Za-z]\w*/g, ' ');
  const numbers = [...prose.matchAll(/(?<![\w.])\d+(?![\w.]\w)/g)].map((m) => m[0]);
  return numbers.length === 1 ? numbers : undefined;
}

/** The function definition `node` is or wraps (a decorated or exported one). */
function functionIn(node: Parser.SyntaxNode, part: ScriptPart): Parser.SyntaxNode | undefined {
  if (part.functions.includes(node.type)) return node;
  if (part.wrappers?.includes(node.type)) {
    const inner = node.childForFieldName('definition') ?? node.childForFieldName('declaration');
    if (inner && part.functions.includes(inner.type)) return inner;
  }
  return undefined;
}

/** Whether reaching `node` runs code: it holds a call outside any function body, other than a load. */
function runs(node: Parser.SyntaxNode, part: ScriptPart): boolean {
  if (part.bodies.includes(node.type)) return false;
  if (part.calls.includes(node.type)) {
    const callee = node.childForFieldName('function') ?? node.childForFieldName('method') ?? node.namedChildren[0];
    if (!(callee && part.loads?.includes(callee.text))) return true;
    return false;
  }
  return node.namedChildren.some((child) => runs(child, part));
}

/** The names of the parameters a call of `fn` must pass. */
function requiredParams(fn: Parser.SyntaxNode, part: ScriptPart): string[] {
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren
    .filter((p) => !part.optionalParameters.includes(p.type) && p.type !== 'comment')
    .map((p) => (p.type === 'identifier' ? p.text : (p.descendantsOfType('identifier')[0]?.text ?? p.text)))
    .filter((name) => name && name !== 'self');
}

/** `text` with `call` (an entry's) added at its end. */
export function withEntryCall(text: string, call: string): string {
  return `${text.replace(/\s*$/, '')}\n\n\n${call}\n`;
}

/** Files up to this many lines are shown whole, with the call, for the model to write back. */
const wholeFileLines = 40;

/**
 * What to tell the model about a script that runs nothing, or '' when `text` runs something. A
 * short file is shown whole with the call added (the 1.5B model, told to add two lines at the end,
 * wrote an edit whose replacement was its find text, twice): `writeTool` names the tool to write it with.
 */
export function uncalledEntryNote(file: string, text: string, runCommand: string, writeTool?: string, request = '', output?: string): string {
  const entry = uncalledEntry(file, text, request);
  if (!entry) return '';
  const part = scriptPart(file);
  const defines = entry.defined.length === 1 ? `only defines ${entry.defined[0]}` : `only defines functions (${entry.defined.join(', ')})`;
  const head = `${file} ${defines}: nothing at its top level calls ${entry.defined.length === 1 ? 'it' : entry.name}, so \`${runCommand}\` runs nothing and prints nothing.`;
  // no placeholder to copy: without known arguments the call is described, not shown; when the task
  // says what to print, the one line that prints it is (py-hello: `def greet(name): return f"Hello, {name}!"`, rewritten unchanged three times)
  if (!entry.call && output !== undefined && part && !output.includes('\n'))
    return `${head} The task asks it to print exactly \`${output}\`: ${file} can be just this line:\n${part.print(output)}`;
  if (!entry.call)
    return `${head} Add a call of ${entry.name} at the end of ${file}, with the values the task asks for as its arguments (${entry.params.join(', ')}).`;
  if (writeTool && text.split('\n').length <= wholeFileLines)
    return `${head} Call ${writeTool} with ${file} as below (its lines as they are, the call added at the end):\n${withEntryCall(text, entry.call)}`;
  return `${head} Add these lines at the end of ${file}:\n${entry.call}`;
}

/**
 * An argument to run `file` with when its text reads its arguments and the request says it takes a
 * file ("the file given as its first argument"): a data file of the project if there is one, else
 * the script itself (any file has lines and words). Undefined otherwise: what else it takes is the
 * model's to say. A small model runs what the next step says, word for word: told in prose to pass
 * an argument, it ran `bash count.sh` three times.
 */
export function fileArgumentFor(file: string, text: string, request: string, dataFiles: readonly string[]): string | undefined {
  const part = scriptPart(file);
  if (!part || !part.readsArgs.test(text)) return undefined;
  if (!/\bfiles?\b[^.]*\bargument|\bargument[^.]*\bfile\b|\bfile\s*name\b|\bpath\b/i.test(request)) return undefined;
  return dataFiles.find((f) => f !== file) ?? file;
}

/**
 * What to tell the model when a run of `file` passed it no arguments though its text reads them
 * ('' otherwise): the run shows nothing of what the script does with them.
 */
export function missingArgumentsNote(file: string, text: string, command: string, bareCommand: string): string {
  const part = scriptPart(file);
  if (!part || !part.readsArgs.test(text)) return '';
  if (command.trim() !== bareCommand.trim()) return '';
  return (
    `${file} reads its command-line arguments (${part.firstArg}), and \`${command}\` gave it none. Run it the way the task describes, with ` +
    `the arguments after the file name (if it reads a file, name one that exists or create a small one first).`
  );
}

/**
 * The lines of `file` that call one of the agent's own tools, when a failed run's `output` names
 * that tool ('' otherwise): a small model wrote `run_in_sandbox "bash" "count.sh"` as the last line
 * of count.sh, and read "run_in_sandbox: command not found" as a call to fix.
 */
export function toolInCodeNote(file: string, text: string, output: string, toolNames: readonly string[]): string {
  const lines = text.split('\n');
  for (const name of toolNames) {
    if (!new RegExp(`\\b${name}\\b`).test(output)) continue;
    const at = lines.flatMap((line, i) => (new RegExp(`^\\s*${name}\\b`).test(line) || new RegExp(`\\b${name}\\s*\\(`).test(line) ? [i + 1] : []));
    if (at.length === 0) continue;
    const where = at.length === 1 ? `line ${at[0]}` : `lines ${at.join(', ')}`;
    return (
      `${file} ${where} call${at.length === 1 ? 's' : ''} ${name}, which is one of your tools, not something code can run. Remove ` +
      `${at.length === 1 ? 'that line' : 'those lines'} from ${file}; to run the file, call ${name} yourself.`
    );
  }
  return '';
}
