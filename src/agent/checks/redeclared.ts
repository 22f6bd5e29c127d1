/**
 * A variable declared twice in one scope, as compilers name it, made an assignment the second
 * time: the model's edits of java-text-wrap declared `List<String> lines = new ArrayList<>();`
 * again below the first, javac stopped at "variable lines is already defined in method
 * wrap(String,int)", and the turn ended on code that did not compile. A second declaration with a
 * value means "this variable, set to this now"; written as an assignment it compiles and keeps
 * what the code does, and the tests judge the rest. The compilers' words name the file, the line
 * and the variable:
 *
 *   TextWrap.java:33: error: variable lines is already defined in method wrap(String,int)   (javac)
 *   wrap.c:12:9: error: redefinition of 'width'                                             (gcc, C)
 *   wrap.cpp:12:9: error: redeclaration of 'int width'                                      (g++)
 *   ./wrap.go:12:7: no new variables on left side of :=                                     (go)
 */
import { escapeRegex } from '../../workspace/search-query.ts';
import { namesFile } from './missing-imports.ts';

/** One declaration to make an assignment: the file as the compiler names it, its line (1-based), and the variable when named. */
interface Redeclared {
  file: string;
  line: number;
  name?: string;
}

const javac = /^(\S+\.java):(\d+): error: variable (\w+) is already defined in/gm;
const gcc = /^(\S+\.(?:c|cc|cpp|cxx|h|hpp)):(\d+):\d+: error: (?:redefinition|redeclaration) of ['‘](?:[^'’]*\s)?[*&]*(\w+)['’]/gm;
const go = /^(\S+\.go):(\d+):\d+: no new variables on left side of :=/gm;

/** The second declarations `output` names. */
export function redeclarations(output: string): Redeclared[] {
  const out: Redeclared[] = [];
  for (const m of output.matchAll(javac)) out.push({ file: m[1], line: Number(m[2]), name: m[3] });
  for (const m of output.matchAll(gcc)) out.push({ file: m[1], line: Number(m[2]), name: m[3] });
  for (const m of output.matchAll(go)) out.push({ file: m[1], line: Number(m[2]) });
  return out;
}

/**
 * `text` (the file `path`) with each second declaration `output` names in it written as an
 * assignment (`lines = new ArrayList<>();`, `width = 0;`, `err = f()` for `err := f()`); undefined
 * when none is, or a named line is not a declaration with a value.
 */
export function asAssignments(path: string, text: string, output: string): { text: string; what: string } | undefined {
  const lines = text.split('\n');
  const names: string[] = [];
  for (const r of redeclarations(output)) {
    if (!namesFile(r.file, path)) continue;
    const at = r.line - 1;
    const line = lines[at];
    if (line === undefined) continue;
    let after: string | undefined;
    if (r.name) {
      // a type (with generics, pointers, arrays, qualifiers) before the name, and a value after it
      const declared = new RegExp(
        `^(\\s*)(?:final\\s+|const\\s+|static\\s+)*[\\w:.<>,?\\[\\]\\s]*?[\\w>\\]]\\s*[*&]*\\s*(${escapeRegex(r.name)}\\s*=(?!=))`,
      ).exec(line);
      if (declared) after = `${declared[1]}${line.slice(declared[0].length - declared[2].length)}`;
    } else {
      const short = /^(\s*[\w\s,]+?)\s*:=/.exec(line);
      if (short) after = line.replace(':=', '=');
    }
    if (after === undefined || after === line) continue;
    lines[at] = after;
    names.push(r.name ?? after.trim().split(/\s*=/)[0]);
  }
  if (names.length === 0) return undefined;
  return {
    text: lines.join('\n'),
    what: `assigned ${names.map((n) => `\`${n}\``).join(', ')} where ${names.length === 1 ? 'it was' : 'they were'} declared a second time, which the compiler refuses`,
  };
}
