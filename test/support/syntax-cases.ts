/**
 * One small file per indexed language, with an edit that breaks its syntax the way models do
 * (Python indentation, an unclosed brace or block, a missing `;`, `end` or `fi`), the line where
 * tree-sitter reports the error, and two edits that keep it valid (one in each function).
 */
import type { LanguageId } from '../../src/index/languages.ts';

/** A search/replace edit as edit_file takes it. */
export interface FindReplace {
  find: string;
  replace: string;
}

export interface SyntaxCase {
  path: string;
  text: string;
  /** Breaks the syntax; the first new error is reported at `line`. */
  breaks: FindReplace & { line: number };
  /** A valid change to the first function (the one `breaks` touches). */
  fine: FindReplace;
  /** A valid change to the second function, away from where `breaks` breaks. */
  elsewhere: FindReplace;
}

export const syntaxCases: Record<LanguageId, SyntaxCase> = {
  python: {
    path: 'calc.py',
    text: 'def first(a, b):\n    total = a + b\n    return total\n\n\ndef second(a, b):\n    return a - b\n',
    breaks: { find: '    return total', replace: '        return total', line: 3 },
    fine: { find: '    total = a + b', replace: '    total = b + a' },
    elsewhere: { find: '    return a - b', replace: '    return b - a' },
  },
  typescript: {
    path: 'src/calc.ts',
    text: 'export function first(a: number, b: number): number {\n  const total = a + b;\n  return total;\n}\n\nexport function second(a: number, b: number): number {\n  return a - b;\n}\n',
    breaks: { find: '  const total = a + b;', replace: '  if (a > b) {\n  const total = a + b;', line: 9 },
    fine: { find: '  const total = a + b;', replace: '  const total: number = b + a;' },
    elsewhere: { find: '  return a - b;', replace: '  return b - a;' },
  },
  tsx: {
    path: 'src/Button.tsx',
    text: 'export function First(props: { label: string }) {\n  return <button className="first">{props.label}</button>;\n}\n\nexport function Second() {\n  return <span>second</span>;\n}\n',
    breaks: { find: '<button className="first">{props.label}</button>', replace: '<button className="first">{props.label}', line: 2 },
    fine: { find: 'className="first"', replace: 'className="primary"' },
    elsewhere: { find: '<span>second</span>', replace: '<em>second</em>' },
  },
  javascript: {
    path: 'lib/calc.js',
    text: 'function first(a, b) {\n  const total = a + b;\n  return total;\n}\n\nfunction second(a, b) {\n  return a - b;\n}\n\nmodule.exports = { first, second };\n',
    breaks: { find: '  const total = a + b;', replace: '  const total = Math.max(a, b;', line: 2 },
    fine: { find: '  const total = a + b;', replace: '  const total = Math.max(a, b);' },
    elsewhere: { find: '  return a - b;', replace: '  return b - a;' },
  },
  go: {
    path: 'calc/calc.go',
    text: 'package calc\n\nfunc First(a, b int) int {\n\ttotal := a + b\n\treturn total\n}\n\nfunc Second(a, b int) int {\n\treturn a - b\n}\n',
    breaks: { find: '\treturn total\n}\n', replace: '\treturn total\n\n', line: 8 },
    fine: { find: '\ttotal := a + b', replace: '\ttotal := b + a' },
    elsewhere: { find: '\treturn a - b', replace: '\treturn b - a' },
  },
  rust: {
    path: 'src/calc.rs',
    text: 'pub fn first(a: i32, b: i32) -> i32 {\n    let total = a + b;\n    total\n}\n\npub fn second(a: i32, b: i32) -> i32 {\n    a - b\n}\n',
    breaks: { find: '    let total = a + b;', replace: '    let total = a + b', line: 1 },
    fine: { find: '    let total = a + b;', replace: '    let total = b + a;' },
    elsewhere: { find: '    a - b\n', replace: '    b - a\n' },
  },
  java: {
    path: 'src/Calc.java',
    text: 'public class Calc {\n    static int first(int a, int b) {\n        int total = a + b;\n        return total;\n    }\n\n    static int second(int a, int b) {\n        return a - b;\n    }\n}\n',
    breaks: { find: '        int total = a + b;', replace: '        int total = a + b', line: 3 },
    fine: { find: '        int total = a + b;', replace: '        int total = b + a;' },
    elsewhere: { find: '        return a - b;', replace: '        return b - a;' },
  },
  c: {
    path: 'src/calc.c',
    text: 'int first(int a, int b) {\n    int total = a + b;\n    return total;\n}\n\nint second(int a, int b) {\n    return a - b;\n}\n',
    breaks: { find: '    int total = a + b;', replace: '    if (a > b) {\n    int total = a + b;', line: 9 },
    fine: { find: '    int total = a + b;', replace: '    int total = b + a;' },
    elsewhere: { find: '    return a - b;', replace: '    return b - a;' },
  },
  cpp: {
    path: 'src/calc.cpp',
    text: '#include <vector>\n\nclass Calc {\npublic:\n    int first(int a, int b) {\n        int total = a + b;\n        return total;\n    }\n};\n\nint second(int a, int b) {\n    return a - b;\n}\n',
    breaks: { find: '        return total;\n    }\n', replace: '        return total;\n', line: 3 },
    fine: { find: '        int total = a + b;', replace: '        int total = b + a;' },
    elsewhere: { find: '    return a - b;', replace: '    return b - a;' },
  },
  c_sharp: {
    path: 'Calc.cs',
    text: 'public class Calc\n{\n    public static int First(int a, int b)\n    {\n        var total = a + b;\n        return total;\n    }\n\n    public static int Second(int a, int b)\n    {\n        return a - b;\n    }\n}\n',
    breaks: { find: '        var total = a + b;', replace: '        var total = (a + b;', line: 5 },
    fine: { find: '        var total = a + b;', replace: '        var total = b + a;' },
    elsewhere: { find: '        return a - b;', replace: '        return b - a;' },
  },
  ruby: {
    path: 'lib/calc.rb',
    text: 'def first(a, b)\n  total = a + b\n  total\nend\n\ndef second(a, b)\n  a - b\nend\n',
    breaks: { find: '  total = a + b', replace: '  if a > b\n  total = a + b', line: 1 },
    fine: { find: '  total = a + b', replace: '  total = b + a' },
    elsewhere: { find: '  a - b\n', replace: '  b - a\n' },
  },
  php: {
    path: 'src/Calc.php',
    text: '<?php\n\nfunction first($a, $b)\n{\n    $total = $a + $b;\n    return $total;\n}\n\nfunction second($a, $b)\n{\n    return $a - $b;\n}\n',
    breaks: { find: '    $total = $a + $b;', replace: '    $total = $a + $b', line: 5 },
    fine: { find: '    $total = $a + $b;', replace: '    $total = $b + $a;' },
    elsewhere: { find: '    return $a - $b;', replace: '    return $b - $a;' },
  },
  bash: {
    path: 'scripts/calc.sh',
    text: '#!/usr/bin/env bash\n\nfirst() {\n  local total=$(( $1 + $2 ))\n  echo "$total"\n}\n\nsecond() {\n  echo $(( $1 - $2 ))\n}\n',
    breaks: { find: '  echo "$total"', replace: '  if [ -n "$total" ]; then\n  echo "$total"', line: 3 },
    fine: { find: '  echo "$total"', replace: '  printf \'%s\\n\' "$total"' },
    elsewhere: { find: '  echo $(( $1 - $2 ))', replace: '  echo $(( $2 - $1 ))' },
  },
};

/** `text` with `edit` applied (its `find` must occur once). */
export function applyFindReplace(text: string, edit: FindReplace): string {
  const at = text.indexOf(edit.find);
  if (at < 0 || text.indexOf(edit.find, at + 1) >= 0) throw new Error(`the test edit's find text must occur once: ${JSON.stringify(edit.find)}`);
  return text.slice(0, at) + edit.replace + text.slice(at + edit.find.length);
}
