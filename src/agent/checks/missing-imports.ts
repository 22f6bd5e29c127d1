/**
 * The includes and imports a compiler says a file is missing, added for it. A body written by code
 * completion uses what such code usually uses (std::map, strlen, HashMap) but cannot add the
 * `#include` or `use` line above the function: in the eval cpp-tiny-vm's `run` was written with a
 * `std::istringstream` and its file did not include `<sstream>`. GCC and rustc name the line to
 * add; that line is added. The one case GCC does not name is a stream type the standard headers
 * declare but do not define (`<string>` declares std::istringstream: "has initializer but
 * incomplete type"); those few are looked up in a table.
 *
 *   vm.cpp:2:1: note: 'std::map' is defined in header '<map>'; did you forget to '#include <map>'?
 *   b.c:1:1: note: include '<stdio.h>' or provide a declaration of 'snprintf'
 *   help: consider importing this struct  (after `--> src/lib.rs:2:30`)
 *     |
 *   2 | use std::collections::HashMap;
 */

/** One line a compiler says to add to a file. */
export interface MissingImport {
  /** The file as the compiler names it (relative to where it ran, or absolute). */
  file: string;
  /** `#include <map>`, `use std::collections::HashMap;` */
  line: string;
}

const quote = `['‘’"\`]`;
const gccForgot = new RegExp(`^(\\S+?):\\d+:\\d+: note: .*?did you forget to ${quote}(#include [<"][^>"]+[>"])${quote}`, 'gm');
const gccDeclare = new RegExp(`^(\\S+?):\\d+:\\d+: note: include ${quote}([<"][^>"]+[>"])${quote} or provide a declaration`, 'gm');
const clangDeclare = /^(\S+?):\d+:\d+: note: include the header (<[^>]+>) or explicitly provide a declaration/gm;
/** "variable 'std::istringstream iss' has initializer but incomplete type", "aggregate 'std::ofstream out' has incomplete type" */
const incompleteStream = new RegExp(`^(\\S+?):\\d+:\\d+: error: [^\\n]*?${quote}std::(\\w+)[^\\n]*? incomplete type`, 'gm');
/** Stream types `<string>` and `<iosfwd>` declare without defining, and the header that defines each. */
const streamHeaders: Record<string, string> = {
  istringstream: '<sstream>',
  ostringstream: '<sstream>',
  stringstream: '<sstream>',
  ifstream: '<fstream>',
  ofstream: '<fstream>',
  fstream: '<fstream>',
};

/** The lines `output` (a compiler's, a build's, a test run's) says to add, each once per file. */
/** "'max_element' is not a member of 'std'" (GCC names no header for these: "did you mean 'tuple_element'?"). */
const notStdMember = new RegExp(`^(\\S+?):\\d+:\\d+: error: ${quote}(\\w+)${quote} is not a member of ${quote}std${quote}`, 'gm');
/** Standard functions a body often uses, and their header. */
const stdMemberHeaders: Record<string, string> = Object.fromEntries([
  ...[
    'max_element',
    'min_element',
    'minmax_element',
    'sort',
    'stable_sort',
    'find',
    'find_if',
    'count',
    'count_if',
    'reverse',
    'transform',
    'any_of',
    'all_of',
    'none_of',
    'unique',
    'lower_bound',
    'upper_bound',
    'binary_search',
    'fill',
    'copy',
    'copy_if',
    'remove',
    'remove_if',
    'max',
    'min',
    'clamp',
    'for_each',
    'equal',
    'rotate',
    'nth_element',
    'partial_sort',
    'next_permutation',
  ].map((f) => [f, '<algorithm>']),
  ...['accumulate', 'iota', 'partial_sum', 'inner_product', 'gcd', 'lcm', 'reduce'].map((f) => [f, '<numeric>']),
  ...['swap', 'pair', 'make_pair', 'move'].map((f) => [f, '<utility>']),
  ...['optional', 'nullopt'].map((f) => [f, '<optional>']),
  ...['unordered_map'].map((f) => [f, '<unordered_map>']),
  ...['unordered_set'].map((f) => [f, '<unordered_set>']),
]);

/**
 * "implicit declaration of function ‘strtoull’" (GCC, a warning in C99 and later: the call compiles,
 * returns an int, and the result is wrong: c-human-size's parse_size read "10K" as 10), "call to
 * undeclared function 'strtoull'" (clang). GCC names the header only for its builtins ("did you
 * mean ‘strcoll’?" for strtoull); the C library's usual functions are looked up in a table.
 */
const implicitDeclaration = new RegExp(
  `^(\\S+?):\\d+:\\d+: (?:warning|error): (?:implicit declaration of function|call to undeclared (?:library )?function) ${quote}(\\w+)${quote}`,
  'gm',
);
/** C library functions and their header. */
const cHeaders: Record<string, string> = Object.fromEntries([
  ...[
    'strtol',
    'strtoul',
    'strtoll',
    'strtoull',
    'strtod',
    'strtof',
    'atoi',
    'atol',
    'atoll',
    'atof',
    'malloc',
    'calloc',
    'realloc',
    'free',
    'abs',
    'labs',
    'llabs',
    'exit',
    'qsort',
    'bsearch',
    'rand',
    'srand',
    'getenv',
    'div',
  ].map((f) => [f, '<stdlib.h>']),
  ...[
    'strlen',
    'strcmp',
    'strncmp',
    'strcpy',
    'strncpy',
    'strcat',
    'strncat',
    'strchr',
    'strrchr',
    'strstr',
    'memcpy',
    'memmove',
    'memset',
    'memcmp',
    'strdup',
    'strndup',
    'strtok',
    'strspn',
    'strcspn',
    'strpbrk',
  ].map((f) => [f, '<string.h>']),
  ...[
    'printf',
    'fprintf',
    'sprintf',
    'snprintf',
    'puts',
    'fputs',
    'fopen',
    'fclose',
    'fgets',
    'scanf',
    'sscanf',
    'fscanf',
    'putchar',
    'getchar',
    'fread',
    'fwrite',
    'perror',
  ].map((f) => [f, '<stdio.h>']),
  ...['isdigit', 'isalpha', 'isalnum', 'isspace', 'isupper', 'islower', 'toupper', 'tolower', 'ispunct', 'isxdigit', 'isprint'].map((f) => [f, '<ctype.h>']),
  ...['pow', 'sqrt', 'floor', 'ceil', 'round', 'fabs', 'log', 'log2', 'log10', 'exp', 'fmod', 'trunc', 'lround', 'llround', 'fmin', 'fmax'].map((f) => [
    f,
    '<math.h>',
  ]),
]);

/**
 * javac's "cannot find symbol … symbol: class ArrayList" (and Maven's `[ERROR] /x/A.java:[17,34]
 * cannot find symbol`): javac names no import, so the JDK's usual classes are looked up in a table
 * (java-text-wrap: two of seven bodies code completion wrote used `new ArrayList<>()` in a file that
 * imported only `java.util.List`, and neither compiled).
 */
const javacNoSymbol =
  /^(?:\[ERROR\]\s+)?(\S+\.java):(?:\d+|\[\d+,\d+\])(?::)?\s+(?:error:\s+)?cannot find symbol[^\n]*\n(?:[^\n]*\n){0,3}?\s*symbol:\s+(?:class|variable) (\w+)/gm;
/** JDK classes a body often uses, and their package. */
const javaPackages: Record<string, string> = Object.fromEntries([
  ...[
    'ArrayList',
    'List',
    'Map',
    'HashMap',
    'LinkedHashMap',
    'TreeMap',
    'Set',
    'HashSet',
    'LinkedHashSet',
    'TreeSet',
    'Arrays',
    'Collections',
    'Collection',
    'Iterator',
    'LinkedList',
    'Deque',
    'ArrayDeque',
    'Queue',
    'PriorityQueue',
    'Optional',
    'Objects',
    'StringJoiner',
    'Scanner',
    'Comparator',
    'Locale',
    'NoSuchElementException',
    'Random',
  ].map((c) => [c, 'java.util']),
  ...['Collectors', 'Stream', 'IntStream'].map((c) => [c, 'java.util.stream']),
  ...['Pattern', 'Matcher'].map((c) => [c, 'java.util.regex']),
  ...['Function', 'BiFunction', 'Predicate', 'Supplier', 'Consumer'].map((c) => [c, 'java.util.function']),
  ...['IOException', 'UncheckedIOException', 'BufferedReader', 'StringReader', 'InputStreamReader'].map((c) => [c, 'java.io']),
  ...['Files', 'Path', 'Paths'].map((c) => [c, 'java.nio.file']),
  ...['BigDecimal', 'BigInteger', 'RoundingMode'].map((c) => [c, 'java.math']),
  ...['LocalDate', 'LocalDateTime', 'LocalTime', 'Duration', 'Instant', 'DayOfWeek'].map((c) => [c, 'java.time']),
  ['StandardCharsets', 'java.nio.charset'],
]);

export function missingImports(output: string): MissingImport[] {
  const out: MissingImport[] = [];
  const add = (file: string, line: string) => {
    if (!out.some((m) => m.file === file && m.line === line)) out.push({ file, line });
  };
  for (const m of output.matchAll(gccForgot)) add(m[1], m[2]);
  for (const m of output.matchAll(gccDeclare)) add(m[1], `#include ${m[2]}`);
  for (const m of output.matchAll(clangDeclare)) add(m[1], `#include ${m[2]}`);
  for (const m of output.matchAll(incompleteStream)) if (streamHeaders[m[2]]) add(m[1], `#include ${streamHeaders[m[2]]}`);
  for (const m of output.matchAll(notStdMember)) if (Object.hasOwn(stdMemberHeaders, m[2])) add(m[1], `#include ${stdMemberHeaders[m[2]]}`);
  for (const m of output.matchAll(implicitDeclaration)) if (Object.hasOwn(cHeaders, m[2])) add(m[1], `#include ${cHeaders[m[2]]}`);
  for (const m of output.matchAll(javacNoSymbol)) if (Object.hasOwn(javaPackages, m[2])) add(m[1], `import ${javaPackages[m[2]]}.${m[2]};`);
  // rustc: one suggestion ("this struct", not "one of these items") under the error's `--> file:line:col`
  const lines = output.split('\n');
  let file: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const at = /^\s*--> (\S+?):\d+:\d+/.exec(lines[i]);
    if (at) file = at[1];
    if (file && /^help: consider importing this \w+/.test(lines[i])) {
      for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
        const use = /^\s*\d+\s*(?:\+\s*)?\|\s*(use [\w:]+;)\s*$/.exec(lines[j]) ?? /^\s*\d+\s*\+\s*(use [\w:]+;)\s*$/.exec(lines[j]);
        if (use) {
          add(file, use[1]);
          break;
        }
      }
    }
  }
  return out;
}

/** Whether the compiler's `file` is the project's `path` (it may be absolute, or under a build dir). */
export function namesFile(file: string, path: string): boolean {
  const a = file.replace(/^\.\//, '');
  return a === path || a.endsWith(`/${path}`) || path.endsWith(`/${a}`);
}

/** Lines that bring in code, by the kind of the lines to add: C's includes, and Ruby's and JavaScript's requires and imports. */
const importLines: ReadonlyArray<{ adds: RegExp; after: RegExp }> = [
  { adds: /^#include\b/, after: /^\s*#\s*include\b/ },
  { adds: /^(?:require|import\s|(?:const|let|var)\s)/, after: /^(?:require(?:_relative)?\b|import\s|(?:const|let|var)\s[^\n]*\brequire\s*\()/ },
];

/**
 * `text` with `imports` added where such lines go: after the last `#include` (C, C++), after the last
 * `require`/`import` (Ruby, JavaScript; with none, at the top after a shebang and `'use strict'`), or at
 * the top after the file's inner docs and attributes (`//!`, `#![…]`: Rust), each line once. Also the
 * 0-based line they went in at and how many were added.
 */
export function withImports(text: string, imports: readonly string[]): { text: string; at: number; added: number } {
  const lines = text.split('\n');
  const wanted = [...new Set(imports)].filter((line) => !lines.some((l) => l.trim() === line));
  if (wanted.length === 0) return { text, at: 0, added: 0 };
  let at = 0;
  const kind = importLines.find((k) => wanted.some((l) => k.adds.test(l)));
  if (kind) {
    lines.forEach((l, i) => {
      if (kind.after.test(l)) at = i + 1;
    });
    // (none yet: after a shebang and 'use strict', or after a Java file's `package` line)
    if (at === 0 && kind !== importLines[0]) {
      const pkg = lines.findIndex((l) => /^package\s+[\w.]+;/.test(l));
      if (pkg >= 0) at = pkg + 1;
      else while (at < lines.length && (/^#!/.test(lines[at]) || /^\s*['"]use strict['"];?\s*$/.test(lines[at]))) at++;
    }
  } else {
    while (at < lines.length && /^\s*(\/\/!|#!\[)/.test(lines[at])) at++;
  }
  lines.splice(at, 0, ...wanted);
  return { text: lines.join('\n'), at, added: wanted.length };
}
