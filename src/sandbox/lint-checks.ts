/**
 * The checks that run in the sandbox after a change is applied, one per language: which files,
 * the command on a list of files, how its output becomes `file:line: message` diagnostics, and
 * how much of the project it reads. Only checkers that take seconds and are in the sandbox image
 * (sandbox/packages.txt) are here; the syntax gate (src/index/syntax-check.ts) already refused
 * what does not parse, so these are about what parses but is wrong: undefined names, type and
 * compile errors. The keys are the `lint.<language>` settings (src/config/schema.ts).
 */
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import {
  gccDiagnostics,
  goVetDiagnostics,
  nodeCheckDiagnostics,
  pyflakesDiagnostics,
  rubyDiagnostics,
  shellcheckDiagnostics,
  tscCheckDiagnostics,
  type LintDiagnostic,
} from './lint-output.ts';

/** A language with a check (and a `lint.<language>` setting). */
export type LintLanguage = keyof Config['lint'];

/** What the command builder may ask of the project (disk plus pending changes). */
export interface LintProject {
  /** Whether a project-relative file exists. */
  has(file: string): boolean;
}

export interface LintCheck {
  /** Lower-case extensions with the dot. */
  extensions: readonly string[];
  /** The checker's name, for the model and for notices. */
  tool: string;
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

/** `file` as one shell word. */
export function shellQuote(file: string): string {
  return /^[\w./@%+=:,-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
}

const words = (files: readonly string[]) => files.map(shellQuote).join(' ');

/** The project's own tsc when it has one installed (its version knows its tsconfig), else the image's. */
const tscOf = (project: LintProject) => (project.has('node_modules/.bin/tsc') ? 'node_modules/.bin/tsc' : 'tsc');

/** Every check, by language. */
export const lintChecks: Record<LintLanguage, LintCheck> = {
  python: {
    extensions: ['.py', '.pyi'],
    tool: 'pyflakes',
    probe: 'python3 -c "import pyflakes"',
    scope: 'files',
    command: (files) => `python3 -m pyflakes ${words(files)}`,
    parse: pyflakesDiagnostics,
  },
  javascript: {
    extensions: ['.js', '.mjs', '.cjs'],
    tool: 'node --check',
    probe: 'command -v node',
    scope: 'files',
    command: (files) => (files.length === 1 ? `node --check ${words(files)}` : `for f in ${words(files)}; do node --check "$f"; done`),
    parse: nodeCheckDiagnostics,
  },
  typescript: {
    extensions: ['.ts', '.mts', '.cts', '.tsx'],
    tool: 'tsc',
    probe: 'command -v tsc || [ -x node_modules/.bin/tsc ]',
    scope: 'project',
    command: (files, project) =>
      project.has('tsconfig.json')
        ? `${tscOf(project)} --noEmit --pretty false -p .`
        : `${tscOf(project)} --noEmit --pretty false --target es2022 --module esnext --moduleResolution node --esModuleInterop --skipLibCheck --jsx preserve` +
          // Node's types: the project's, else the image's Debian copy
          ` --typeRoots ./node_modules/@types,/usr/share/nodejs/@types $(test -d node_modules/@types/node -o -d /usr/share/nodejs/@types/node && echo --types node) ${words(files)}`,
    parse: tscCheckDiagnostics,
  },
  go: {
    extensions: ['.go'],
    tool: 'go vet',
    probe: 'command -v go',
    scope: 'package',
    command: (files, project) => {
      const dirs = [...new Set(files.map((f) => path.posix.dirname(f)))];
      if (project.has('go.mod')) return `go vet ${dirs.map((d) => shellQuote(d === '.' ? '.' : `./${d}`)).join(' ')}`;
      return dirs.map((d) => `go vet ${d === '.' ? '*.go' : `${shellQuote(d)}/*.go`}`).join('; ');
    },
    parse: goVetDiagnostics,
  },
  c: {
    extensions: ['.c'],
    tool: 'gcc',
    probe: 'command -v gcc',
    scope: 'files',
    command: (files) =>
      `LC_ALL=C gcc -fsyntax-only -I. -Werror=implicit-function-declaration -Werror=implicit-int -Werror=incompatible-pointer-types -Werror=int-conversion ${words(files)}`,
    parse: gccDiagnostics,
  },
  cpp: {
    extensions: ['.cc', '.cpp', '.cxx', '.c++', '.hh', '.hpp', '.hxx'],
    tool: 'g++',
    probe: 'command -v g++',
    scope: 'files',
    command: (files) => `LC_ALL=C g++ -fsyntax-only -std=c++17 -I. ${words(files)}`,
    parse: gccDiagnostics,
  },
  ruby: {
    extensions: ['.rb', '.rake'],
    tool: 'ruby -wc',
    probe: 'command -v ruby',
    scope: 'files',
    command: (files) => (files.length === 1 ? `ruby -wc ${words(files)} >/dev/null` : `for f in ${words(files)}; do ruby -wc "$f" >/dev/null; done`),
    parse: rubyDiagnostics,
  },
  bash: {
    extensions: ['.sh', '.bash'],
    tool: 'shellcheck',
    probe: 'command -v shellcheck',
    scope: 'files',
    // SC2034 (unused variable), SC2148 (no shebang), SC2164 (cd without || exit): style, not mistakes
    command: (files) => `shellcheck -f gcc -S warning -e SC2034,SC2148,SC2164 ${words(files)}`,
    parse: shellcheckDiagnostics,
  },
};

export const lintLanguages = Object.keys(lintChecks) as LintLanguage[];

const byExtension = new Map<string, LintLanguage>();
for (const language of lintLanguages) for (const ext of lintChecks[language].extensions) byExtension.set(ext, language);

/** The language whose check reads `file`, by its extension; undefined when none does. */
export function lintLanguageOf(file: string): LintLanguage | undefined {
  const ext = path.posix.extname(file).toLowerCase();
  return ext ? byExtension.get(ext) : undefined;
}
