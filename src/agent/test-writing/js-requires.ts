/**
 * A function a new JavaScript test calls and never requires. Asked for "a test file using node:test
 * and node:assert for `median` in src/median.js", the 1.5B model wrote the tests without a
 * `require` of src/median.js; node said "median is not defined", and the model ran the same tests
 * four more times until its failed runs ran out (js-add-test). When exactly one module of the
 * project exports that name, the line that brings it in is certain: written in the test file's own
 * module style (`require` or `import`), and only where the module is of the same style.
 */
import path from 'node:path';
import { esModule } from './jest-habits.ts';
import { withImports } from '../checks/missing-imports.ts';

/** Names node:test and node:assert provide, or JavaScript's own: never a project module's. */
const notProjectNames = new Set(['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach', 'expect', 'assert', 'require', 'module', 'exports']);

/** The names a failed run says are not defined that a project module could export (not node:test's, node:assert's or the language's). */
export function notDefinedNames(output: string): string[] {
  return [...new Set([...output.matchAll(/\b([A-Za-z_$][\w$]*) is not defined\b/g)].map((m) => m[1]))].filter((n) => !notProjectNames.has(n));
}

/** How a module exports `name`: as a named export of CommonJS or an ES module, or as CommonJS's whole export; undefined when it does not. */
export function exportOf(source: string, name: string): 'cjs-named' | 'cjs-default' | 'esm-named' | undefined {
  const n = name.replace(/\$/g, '\\$');
  // (a key of the object: `{ median }`, `{ median: m }`, `{ median(v) {…} }`; not a value: `{ mean: median }`)
  if (new RegExp(`\\bmodule\\.exports\\s*=\\s*\\{(?:[^}]*,)?\\s*${n}\\s*(?=[,}:(])`).test(source)) return 'cjs-named';
  if (new RegExp(`(?:^|[^\\w$.])(?:module\\.)?exports\\.${n}\\s*=`, 'm').test(source)) return 'cjs-named';
  if (new RegExp(`\\bmodule\\.exports\\s*=\\s*(?:(?:async\\s+)?function\\s*\\*?\\s*)?${n}\\b`).test(source)) return 'cjs-default';
  if (new RegExp(`^\\s*export\\s+(?:async\\s+)?(?:function\\s*\\*?|const|let|var|class)\\s+${n}\\b`, 'm').test(source)) return 'esm-named';
  if (new RegExp(`^\\s*export\\s*\\{[^}]*(?<![\\w$])${n}(?![\\w$])`, 'm').test(source)) return 'esm-named';
  return undefined;
}

/**
 * Test file `file` (`text`) with a `require` (or `import`) of each name its failed run (`output`)
 * says is not defined and exactly one of `modules` (the project's other JavaScript files, with
 * their text) exports; undefined when there is none to add.
 */
export function missingRequires(
  file: string,
  text: string,
  output: string,
  modules: ReadonlyArray<{ path: string; source: string }>,
): { text: string; what: string } | undefined {
  const names = notDefinedNames(output);
  const esm = esModule(text, file);
  const lines: string[] = [];
  const added: string[] = [];
  for (const name of names) {
    // already brought in (a require or import that names it): the error is something else
    if (
      new RegExp(`^\\s*(?:import|const|let|var)\\b[^\\n]*(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])[^\\n]*(?:require\\s*\\(|\\bfrom\\s)`, 'm').test(
        text,
      )
    )
      continue;
    const definers = modules.flatMap((m) => {
      const kind = exportOf(m.source, name);
      return kind ? [{ ...m, kind }] : [];
    });
    if (definers.length !== 1) continue;
    const [definer] = definers;
    if (esm !== (definer.kind === 'esm-named')) continue;
    let spec = path.posix.relative(path.posix.dirname(file), definer.path);
    if (!spec.startsWith('.')) spec = `./${spec}`;
    if (esm) lines.push(`import { ${name} } from '${spec}';`);
    else {
      spec = spec.replace(/\.(c?js)$/, '');
      lines.push(definer.kind === 'cjs-default' ? `const ${name} = require('${spec}');` : `const { ${name} } = require('${spec}');`);
    }
    added.push(`\`${lines.at(-1)}\` (${definer.path} exports ${name})`);
  }
  if (lines.length === 0) return undefined;
  return { text: withImports(text, lines).text, what: `added ${added.join(', ')}` };
}
