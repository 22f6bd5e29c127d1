/**
 * What a compiler says a just-changed file is missing, written for the model: the `#include` or
 * `use` line GCC, clang and rustc name (missing-imports.ts), and a Go test file in the external
 * test package (`package clamp_test`) that calls the package's names unqualified. Small models
 * forget these, and then rewrite the file around the error without seeing it: in the eval
 * go-add-test's model wrote `package clamp_test`, read "undefined: Clamp" three times and each
 * time rewrote the test cases.
 *
 * Only lines the compiler's words determine are changed; anything that needs judgement stays with
 * the model.
 */
import path from 'node:path';
import { missingImports, namesFile, withImports } from './missing-imports.ts';

/** A file's new text and what was changed, in words. */
export interface CompilerFix {
  path: string;
  text: string;
  what: string;
}

/** `./clamp_test.go:22:14: undefined: Clamp` (go build, go test), `clamp_test.go:22: undeclared name: Clamp` (go vet). */
const goUndefined = /^\s*(\S+_test\.go):\d+(?::\d+)?: (?:undefined|undeclared name): (\w+)/gm;

/** Whether Go source `text` declares `name` at the top level (alone or in a `var (…)` group). */
function goDeclares(text: string, name: string): boolean {
  if (new RegExp(`^(func\\s+(\\([^)]*\\)\\s*)?|type\\s+|var\\s+|const\\s+)${name}\\b`, 'm').test(text)) return true;
  for (const group of text.matchAll(/^(?:type|var|const)\s*\(([^)]*)\)/gm)) {
    if (new RegExp(`^\\s+${name}\\b`, 'm').test(group[1])) return true;
  }
  return false;
}

/**
 * The fixes `output` (a failed build or test run) asks for in `changed` files. `read` gives a
 * project file's text (undefined when it cannot be read); `list` the files of a project folder
 * ('.' for the top), as project paths.
 */
export async function compilerFixes(
  output: string,
  changed: readonly string[],
  read: (file: string) => Promise<string | undefined>,
  list: (dir: string) => Promise<readonly string[]>,
): Promise<CompilerFix[]> {
  const fixes = new Map<string, CompilerFix>();
  const current = async (file: string) => fixes.get(file)?.text ?? (await read(file));
  const note = (file: string, text: string, what: string) => {
    const before = fixes.get(file);
    fixes.set(file, { path: file, text, what: before ? `${before.what}; ${what}` : what });
  };

  for (const file of changed) {
    const wanted = missingImports(output)
      .filter((m) => namesFile(m.file, file))
      .map((m) => m.line);
    if (wanted.length === 0) continue;
    const text = await current(file);
    if (text === undefined) continue;
    const added = withImports(text, wanted);
    if (added.added > 0) note(file, added.text, `added ${wanted.map((l) => `\`${l}\``).join(', ')}, which the compiler named`);
  }

  const undefinedIn = new Map<string, Set<string>>();
  for (const m of output.matchAll(goUndefined)) {
    const file = changed.find((f) => f.endsWith('_test.go') && namesFile(m[1], f));
    if (file) undefinedIn.set(file, (undefinedIn.get(file) ?? new Set()).add(m[2]));
  }
  if (undefinedIn.size > 0) {
    for (const [file, names] of undefinedIn) {
      const text = await current(file);
      const clause = text && /^package (\w+)_test[ \t]*$/m.exec(text);
      if (!text || !clause) continue;
      const pkg = clause[1];
      // importing the package itself from an internal test would be a cycle: that file is left to the model
      if (new RegExp(`"[^"]*/${pkg}"`).test(text)) continue;
      const dir = path.posix.dirname(file);
      const siblings = (await list(dir)).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
      let declares = false;
      for (const sibling of siblings) {
        const source = await read(sibling);
        if (source && new RegExp(`^package ${pkg}\\b`, 'm').test(source) && [...names].some((name) => goDeclares(source, name))) declares = true;
      }
      if (!declares) continue;
      note(
        file,
        text.replace(clause[0], `package ${pkg}`),
        `\`package ${pkg}_test\` became \`package ${pkg}\`, so the test sees ${[...names].join(', ')} of package ${pkg} unqualified`,
      );
    }
  }
  return [...fixes.values()];
}
