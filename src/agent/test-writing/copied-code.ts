/**
 * A test file that carries its own copy of the code it is asked to test. Asked for tests of
 * `slugify`, the 1.5B model starts test_slug.py with a copy of slug.py's `slugify` (seen in every
 * py-add-test run of the eval): its tests then pass against the copy and say nothing about
 * slug.py, which can break without one failing. A developer reading that file deletes the copy and
 * imports the real one; assist does the same before the change is shown, where the import is
 * certain (Python; CommonJS JavaScript; Go, whose test file shares the package), and says so to the
 * model. Elsewhere the change is refused with the same words, for the model to redo.
 *
 * A copy is a top-level function or class of the test file, not named as a test, whose name one
 * project file that is not a test defines at its top level, in the same language, and whose body
 * is mostly that file's lines (a test double of the same name, a fake `Database`, is not a copy).
 */
import path from 'node:path';
import { extractSymbols, type FileDef } from '../../index/extract-symbols.ts';
import { type LanguageId, languageOf } from '../../index/languages.ts';
import { isTestPath } from '../../languages/test-files.ts';
import { pythonModule, withPythonImports } from '../checks/compiler-fixes.ts';

/** A definition in a test file that copies one of the project's. */
export interface CopiedDefinition {
  name: string;
  /** 1-based lines of the copy in the test file, first and last. */
  line: number;
  endLine: number;
  /** The project file that defines the real one. */
  from: string;
}

/** Kinds of definition a test file copies from the code it tests. */
const copyKinds: ReadonlySet<FileDef['kind']> = new Set(['function', 'class', 'struct', 'module']);

/**
 * The definitions of test file `file` (text `text`) that copy a project's: `definer(name, language)`
 * gives the one non-test project file defining `name` at its top level in that language, or
 * undefined when none or several do.
 */
export function copiedDefinitions(
  file: string,
  text: string,
  definer: (name: string, language: LanguageId) => string | undefined,
  sourceOf?: (file: string) => string | undefined,
): CopiedDefinition[] {
  const language = languageOf(file);
  if (!language || !isTestPath(file)) return [];
  const defs = extractSymbols(language, text).defs;
  const copies: CopiedDefinition[] = [];
  for (const def of defs) {
    if (!copyKinds.has(def.kind) || /^test|^Test|_test$|Test$|^describe$|^it$/.test(def.name)) continue;
    // only the outermost: a helper inside a test, or a method inside a copied class, is not a copy of its own
    if (defs.some((outer) => outer !== def && outer.line <= def.line && outer.endLine >= def.endLine && outer.line < def.line)) continue;
    const from = definer(def.name, language);
    if (!from || from === file || isTestPath(from)) continue;
    // a copy has the real one's lines; a test double of the same name (a fake `Database`) does not
    const source = sourceOf?.(from);
    if (source !== undefined && !mostLinesIn(text.split('\n').slice(def.line, def.endLine), source)) continue;
    copies.push({ name: def.name, line: def.line, endLine: def.endLine, from });
  }
  return copies;
}

/** Whether at least half of the body lines `body` (the substantial ones) are lines of `source` too. */
function mostLinesIn(body: readonly string[], source: string): boolean {
  const lines = new Set(source.split('\n').map((line) => line.trim()));
  const substantial = body.map((line) => line.trim()).filter((line) => line.length > 3);
  return substantial.length === 0 || substantial.filter((line) => lines.has(line)).length * 2 >= substantial.length;
}

/** Lines `first`..`last` (1-based) of `lines` with the decorators and comments right above them. */
function withLeadIn(lines: readonly string[], first: number, last: number): { first: number; last: number } {
  let at = first - 1;
  while (at > 0 && /^\s*(@|#(?!!)|\/\/|\/\*\*?|\*)/.test(lines[at - 1])) at--;
  return { first: at + 1, last };
}

/**
 * `text` without the lines of `copies` (and their decorators and comments); the blank lines left
 * around them closed up to the most the file has in a row elsewhere (one, or PEP 8's two).
 */
export function withoutCopies(text: string, copies: readonly CopiedDefinition[]): string {
  const lines = text.split('\n');
  const drop = new Set<number>();
  for (const copy of copies) {
    const span = withLeadIn(lines, copy.line, copy.endLine);
    for (let i = span.first; i <= span.last; i++) drop.add(i - 1);
  }
  let most = 1;
  let run = 0;
  for (const line of lines) {
    run = line.trim() === '' ? run + 1 : 0;
    most = Math.max(most, run);
  }
  const kept: string[] = [];
  let blanks = 0;
  lines.forEach((line, i) => {
    if (drop.has(i)) return;
    blanks = line.trim() === '' ? blanks + 1 : 0;
    if (blanks > most) return;
    kept.push(line);
  });
  while (kept.length > 1 && kept[0].trim() === '') kept.shift();
  return kept.join('\n');
}

/** Whether `text` already imports `name` (Python `from … import name`, JS `require`/`import { name }`). */
function imports(text: string, name: string): boolean {
  return new RegExp(
    `^\\s*(from\\s+\\S+\\s+import\\b[^\\n]*\\b${name}\\b|import\\b[^\\n]*\\b${name}\\b|(const|let|var)\\s+[^=\\n]*\\b${name}\\b[^=\\n]*=\\s*require\\()`,
    'm',
  ).test(text);
}

/** A test file with its copies replaced by imports of the real code, and what was done in words; undefined where that is not certain. */
export interface CopyAmendment {
  text: string;
  what: string;
}

/**
 * Test file `file` (text `text`) without `copies`, importing the real ones, given `source` (the text
 * of a project file); undefined when the import cannot be written for certain (another language, an
 * ES module, a Go file in another folder).
 */
export function replaceCopies(
  file: string,
  text: string,
  copies: readonly CopiedDefinition[],
  source: (file: string) => string | undefined,
): CopyAmendment | undefined {
  if (copies.length === 0) return undefined;
  const language = languageOf(file);
  const stripped = withoutCopies(text, copies);
  const needed = copies.filter((copy) => !imports(stripped, copy.name));
  const lines: string[] = [];
  if (language === 'python') {
    const byModule = new Map<string, string[]>();
    for (const copy of needed) {
      const module = path.posix.dirname(copy.from) === path.posix.dirname(file) ? path.posix.basename(copy.from).replace(/\.py$/, '') : pythonModule(copy.from);
      byModule.set(module, [...(byModule.get(module) ?? []), copy.name]);
    }
    for (const [module, names] of byModule) lines.push(`from ${module} import ${names.join(', ')}`);
  } else if (language === 'javascript') {
    const byFile = new Map<string, string[]>();
    for (const copy of needed) {
      // CommonJS only: `module.exports = { median }` is certain to load with require
      if (!/\bmodule\.exports\b|^\s*exports\.\w+\s*=/m.test(source(copy.from) ?? '')) return undefined;
      if (/^\s*import\s.+\sfrom\s/m.test(stripped)) return undefined;
      byFile.set(copy.from, [...(byFile.get(copy.from) ?? []), copy.name]);
    }
    for (const [from, names] of byFile) {
      let relative = path.posix.relative(path.posix.dirname(file), from).replace(/\.[cm]?js$/, '');
      if (!relative.startsWith('.')) relative = `./${relative}`;
      lines.push(`const { ${names.join(', ')} } = require('${relative}');`);
    }
  } else if (language === 'go') {
    if (copies.some((copy) => path.posix.dirname(copy.from) !== path.posix.dirname(file))) return undefined;
  } else return undefined;
  const amended = lines.length === 0 ? stripped : language === 'python' ? withPythonImports(stripped, lines) : `${lines.join('\n')}\n${stripped}`;
  const names = copies.map((copy) => `\`${copy.name}\``).join(', ');
  const from = [...new Set(copies.map((copy) => copy.from))].join(', ');
  return {
    text: amended.endsWith('\n') || amended === '' ? amended : `${amended}\n`,
    what:
      `${file} defined its own ${names}, a copy of the code in ${from}: its tests would have tested the copy, and ${from} not at all. ` +
      `assist left the copy out${lines.length ? ` and added ${lines.map((l) => `\`${l}\``).join(', ')}` : ' (the test shares its package)'}, so the tests call the real code.`,
  };
}

/** The refusal of a test file's copies where assist cannot replace them for certain. */
export function copiesRefusal(file: string, copies: readonly CopiedDefinition[]): string {
  const names = copies.map((copy) => `\`${copy.name}\` (lines ${copy.line}-${copy.endLine})`).join(', ');
  const from = [...new Set(copies.map((copy) => copy.from))].join(', ');
  return (
    `Not applied: ${file} defines its own ${names}, a copy of the code in ${from}: its tests would test the copy, and ${from} not at all. ` +
    `Write ${file} again without the copy: load ${from} the way the project's code loads it (require or import), then the tests.`
  );
}
