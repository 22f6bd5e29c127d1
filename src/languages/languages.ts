/**
 * The language table: one row per language, holding everything `assist` knows about it (its
 * files, its tree-sitter grammar and query, how a snippet of it runs, the command that runs one
 * file, how its tests are recognised, the check after an edit). The index, the sandbox, the
 * agent and the config read their part from here (src/index/languages.ts,
 * src/sandbox/languages.ts, test-command.ts, lint-checks.ts, src/agent/next-step.ts,
 * task-output.ts, the `lint.*` settings of src/config/schema.ts), so adding a language is a row
 * here plus its query file and fixtures (`node --import tsx scripts/new-language.ts` lists them).
 *
 * Pure data and small pure functions: every part may import this (config included), so nothing
 * here loads tree-sitter, talks to Docker or touches the file system.
 *
 * Row order is the order views list them in: the snippet languages the model may name
 * (`run_in_sandbox`'s enum), the `lint.*` settings in `assist config` and the README.
 */
import path from 'node:path';
import type { LanguageRow, LintProject } from './language-row.ts';
import {
  gccDiagnostics,
  goVetDiagnostics,
  nodeCheckDiagnostics,
  pyflakesDiagnostics,
  rubyDiagnostics,
  shellcheckDiagnostics,
  tscCheckDiagnostics,
} from './lint-output.ts';
import { shellQuote } from './shell-quote.ts';
import { whenFile, type TestRule } from './test-rule.ts';

const words = (files: readonly string[]) => files.map(shellQuote).join(' ');

/** The project's own tsc when it has one installed (its version knows its tsconfig), else the image's. */
const tscOf = (project: LintProject) => (project.has('node_modules/.bin/tsc') ? 'node_modules/.bin/tsc' : 'tsc');

/** What `node --test` runs by default: *.test.js / *.test.mjs / *.test.cjs (and test-*.js). */
const isNodeTest = (name: string) => /(\.|-|_)test\.[cm]?js$|^test-.*\.[cm]?js$/.test(name);

const isPythonTest = (name: string) => /^test_.*\.py$/.test(name) || /_test\.py$/.test(name);

const pytest = 'python3 -m pytest -q';

/** `package.json` with a real `test` script (not npm's "no test specified" stub). */
const npmTestScript: TestRule = {
  order: 10,
  async detect(project) {
    const pkg = await project.read('package.json');
    if (pkg === undefined) return undefined;
    try {
      const test = (JSON.parse(pkg) as { scripts?: Record<string, unknown> }).scripts?.test;
      if (typeof test === 'string' && !/no test specified/.test(test)) return { command: 'npm test', reason: 'package.json has a "test" script' };
    } catch {
      // not valid JSON: fall through to other rules
    }
    return undefined;
  },
};

const identifiersJs = ['identifier', 'property_identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern'] as const;
const identifiersTs = [
  'identifier',
  'type_identifier',
  'property_identifier',
  'shorthand_property_identifier',
  'shorthand_property_identifier_pattern',
] as const;

/** Every language, by id (the id is its canonical name: the snippet language, the `lint.<id>` key). */
export const languages = {
  python: {
    label: 'Python',
    aliases: ['py', 'python3'],
    extensions: ['.py', '.pyi'],
    outputExtension: 'py',
    lineComment: '#',
    index: { grammar: { module: 'tree-sitter-python' }, query: 'python.scm', identifierTypes: ['identifier'], walkDefinitions: true },
    snippet: { file: 'assist_snippet.py', command: 'python3 assist_snippet.py', tools: ['python3'] },
    runFile: {
      extensions: ['.py'],
      command: (file) => `python3 ${file}`,
      script: {
        functions: ['function_definition'],
        wrappers: ['decorated_definition'],
        calls: ['call'],
        bodies: ['function_definition', 'class_definition', 'lambda'],
        optionalParameters: [
          'default_parameter',
          'typed_default_parameter',
          'list_splat_pattern',
          'dictionary_splat_pattern',
          'keyword_separator',
          'positional_separator',
        ],
        call: (name, args) => `if __name__ == "__main__":\n    ${name}(${args.join(', ')})`,
        print: (text) => `print(${JSON.stringify(text)})`,
        readsArgs: /\bsys\.argv\b|\bargparse\b/,
        firstArg: 'sys.argv[1]',
      },
    },
    tests: [
      whenFile(50, ['pytest.ini', 'pyproject.toml', 'setup.py', 'setup.cfg', 'tox.ini', 'conftest.py'], pytest),
      { order: 110, detect: async (project) => ((await project.hasTestFiles(isPythonTest)) ? { command: pytest, reason: 'test_*.py files' } : undefined) },
    ],
    lint: {
      tool: 'pyflakes',
      summary: '`python3 -m pyflakes`',
      probe: 'python3 -c "import pyflakes"',
      scope: 'files',
      command: (files) => `python3 -m pyflakes ${words(files)}`,
      parse: pyflakesDiagnostics,
    },
  },
  javascript: {
    label: 'JavaScript',
    aliases: ['js', 'node', 'nodejs'],
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
    outputExtension: 'js',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-javascript' }, query: 'javascript.scm', identifierTypes: identifiersJs, family: 'js' },
    snippet: { file: 'assist_snippet.js', command: 'node assist_snippet.js', tools: ['node'] },
    runFile: {
      extensions: ['.js', '.mjs', '.cjs'],
      command: (file) => `node ${file}`,
      script: {
        functions: ['function_declaration', 'generator_function_declaration'],
        wrappers: ['export_statement'],
        calls: ['call_expression', 'new_expression', 'await_expression'],
        bodies: [
          'function_declaration',
          'generator_function_declaration',
          'function_expression',
          'arrow_function',
          'class_declaration',
          'class',
          'method_definition',
        ],
        loads: ['require'],
        optionalParameters: ['assignment_pattern', 'rest_pattern'],
        call: (name, args) => `${name}(${args.join(', ')});`,
        print: (text) => `console.log(${JSON.stringify(text)});`,
        readsArgs: /\bprocess\.argv\b/,
        firstArg: 'process.argv[2]',
      },
    },
    tests: [
      npmTestScript,
      {
        order: 20,
        detect: async (project) =>
          (await project.exists('package.json')) && (await project.hasTestFiles(isNodeTest))
            ? { command: 'node --test', reason: 'package.json and *.test.js files (no "test" script)' }
            : undefined,
      },
      {
        // a folder of plain scripts and their node:test tests, with no package.json (after pytest: a Python
        // project with a stray *.test.js is still a Python project); js-add-test's run_tests found no command, and
        // the model wrote .assistrc.json to make `npm test` the command
        order: 120,
        detect: async (project) =>
          !(await project.exists('package.json')) && (await project.hasTestFiles(isNodeTest))
            ? { command: 'node --test', reason: '*.test.js files (no package.json)' }
            : undefined,
      },
    ],
    lint: {
      extensions: ['.js', '.mjs', '.cjs'],
      tool: 'node --check',
      summary: '`node --check`',
      probe: 'command -v node',
      scope: 'files',
      command: (files) => (files.length === 1 ? `node --check ${words(files)}` : `for f in ${words(files)}; do node --check "$f"; done`),
      parse: nodeCheckDiagnostics,
    },
  },
  typescript: {
    label: 'TypeScript',
    aliases: ['ts'],
    extensions: ['.ts', '.mts', '.cts'],
    outputExtension: 'ts',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-typescript', key: 'typescript' }, query: 'typescript.scm', identifierTypes: identifiersTs, family: 'js' },
    snippet: {
      file: 'assist_snippet.ts',
      // Type errors go to stderr; the emitted JavaScript still runs (like ts-node --transpile-only would).
      command:
        'tsc --outDir "$TMPDIR/assist-ts" --target es2020 --module commonjs --esModuleInterop --skipLibCheck --pretty false assist_snippet.ts >&2;' +
        ' node "$TMPDIR/assist-ts/assist_snippet.js"',
      tools: ['tsc', 'node'],
    },
    runFile: { extensions: ['.ts'], command: (file) => `tsc --noEmit --strict ${file}` },
    lint: {
      extensions: ['.ts', '.mts', '.cts', '.tsx'],
      tool: 'tsc',
      summary: '`tsc --noEmit` (the project with its tsconfig.json, else the files)',
      probe: 'command -v tsc || [ -x node_modules/.bin/tsc ]',
      scope: 'project',
      command: (files, project) =>
        project.has('tsconfig.json')
          ? `${tscOf(project)} --noEmit --pretty false -p .`
          : `${tscOf(project)} --noEmit --pretty false --target es2022 --module esnext --moduleResolution node --esModuleInterop --skipLibCheck ` +
            `--jsx preserve` +
            // Node's types: the project's, else the image's Debian copy
            ` --typeRoots ./node_modules/@types,/usr/share/nodejs/@types $(test -d node_modules/@types/node -o -d /usr/share/nodejs/@types/node && ` +
            `echo --types node) ${words(files)}`,
      parse: tscCheckDiagnostics,
    },
  },
  tsx: {
    label: 'TSX',
    extensions: ['.tsx'],
    outputExtension: 'tsx',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-typescript', key: 'tsx' }, query: 'typescript.scm', identifierTypes: identifiersTs, family: 'js' },
  },
  go: {
    label: 'Go',
    aliases: ['golang'],
    extensions: ['.go'],
    outputExtension: 'go',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-go' }, query: 'go.scm', identifierTypes: ['identifier', 'type_identifier', 'field_identifier'] },
    snippet: { file: 'assist_snippet.go', command: 'go run assist_snippet.go', tools: ['go'] },
    runFile: { command: (file, hasMain) => (hasMain ? `go run ${file}` : `go vet ${file}`) },
    tests: [whenFile(40, ['go.mod'], 'go test ./...')],
    lint: {
      tool: 'go vet',
      summary: "`go vet` on the files' packages",
      probe: 'command -v go',
      scope: 'package',
      command: (files, project) => {
        const dirs = [...new Set(files.map((f) => path.posix.dirname(f)))];
        if (project.has('go.mod')) return `go vet ${dirs.map((d) => shellQuote(d === '.' ? '.' : `./${d}`)).join(' ')}`;
        return dirs.map((d) => `go vet ${d === '.' ? '*.go' : `${shellQuote(d)}/*.go`}`).join('; ');
      },
      parse: goVetDiagnostics,
    },
  },
  rust: {
    label: 'Rust',
    aliases: ['rs'],
    extensions: ['.rs'],
    outputExtension: 'rs',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-rust' }, query: 'rust.scm', identifierTypes: ['identifier', 'type_identifier', 'field_identifier'] },
    snippet: {
      file: 'assist_snippet.rs',
      command: 'rustc --edition 2021 -O -o "$TMPDIR/assist_snippet" assist_snippet.rs && "$TMPDIR/assist_snippet"',
      tools: ['rustc', 'cc'],
    },
    // no runFile: a Rust file in a crate needs cargo
    tests: [whenFile(30, ['Cargo.toml'], 'cargo test --offline')],
  },
  c: {
    label: 'C',
    extensions: ['.c', '.h'],
    outputExtension: 'c',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-c' }, query: 'c.scm', identifierTypes: ['identifier', 'type_identifier', 'field_identifier'], family: 'c' },
    snippet: {
      file: 'assist_snippet.c',
      command: 'gcc -O2 -Wall -o "$TMPDIR/assist_snippet" assist_snippet.c -lm && "$TMPDIR/assist_snippet"',
      tools: ['gcc'],
    },
    runFile: {
      extensions: ['.c'],
      command: (file, hasMain) => (hasMain ? `gcc -Wall ${file} -o /tmp/check && /tmp/check` : `gcc -Wall -c ${file} -o /tmp/check.o`),
    },
    lint: {
      // a header may be C or C++: not guessed
      extensions: ['.c'],
      tool: 'gcc',
      summary: '`gcc -fsyntax-only`',
      probe: 'command -v gcc',
      scope: 'files',
      command: (files) =>
        `LC_ALL=C gcc -fsyntax-only -I. -Werror=implicit-function-declaration -Werror=implicit-int -Werror=incompatible-pointer-types ` +
        `-Werror=int-conversion ${words(files)}`,
      parse: gccDiagnostics,
    },
  },
  cpp: {
    label: 'C++',
    aliases: ['c++', 'cxx', 'cc'],
    extensions: ['.cpp', '.cc', '.cxx', '.c++', '.hh', '.hpp', '.hxx', '.h++', '.ipp'],
    outputExtension: 'cpp',
    lineComment: '//',
    index: {
      grammar: { module: 'tree-sitter-cpp' },
      query: 'cpp.scm',
      identifierTypes: ['identifier', 'type_identifier', 'field_identifier', 'namespace_identifier'],
      family: 'c',
    },
    snippet: {
      file: 'assist_snippet.cpp',
      command: 'g++ -O2 -Wall -std=c++17 -o "$TMPDIR/assist_snippet" assist_snippet.cpp && "$TMPDIR/assist_snippet"',
      tools: ['g++'],
    },
    runFile: { extensions: ['.cpp', '.cc', '.cxx', '.hpp', '.hh'], command: (file) => `g++ -Wall -std=c++17 -fsyntax-only ${file}` },
    lint: {
      extensions: ['.cc', '.cpp', '.cxx', '.c++', '.hh', '.hpp', '.hxx'],
      tool: 'g++',
      summary: '`g++ -fsyntax-only`',
      probe: 'command -v g++',
      scope: 'files',
      command: (files) => `LC_ALL=C g++ -fsyntax-only -std=c++17 -I. ${words(files)}`,
      parse: gccDiagnostics,
    },
  },
  java: {
    label: 'Java',
    extensions: ['.java'],
    outputExtension: 'java',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-java' }, query: 'java.scm', identifierTypes: ['identifier', 'type_identifier'] },
    snippet: { file: 'Main.java', command: 'java Main.java', tools: ['java'] },
    runFile: { command: (file) => `javac -d /tmp ${file}` },
    tests: [
      whenFile(60, ['pom.xml'], 'mvn -q -o test'),
      whenFile(70, ['gradlew'], 'sh ./gradlew test --offline'),
      whenFile(80, ['build.gradle', 'build.gradle.kts'], 'gradle test --offline', 'build.gradle'),
    ],
  },
  c_sharp: {
    label: 'C#',
    aliases: ['c#', 'csharp'],
    extensions: ['.cs'],
    outputExtension: 'cs',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-c-sharp' }, query: 'c_sharp.scm', identifierTypes: ['identifier'] },
  },
  php: {
    label: 'PHP',
    extensions: ['.php'],
    outputExtension: 'php',
    lineComment: '//',
    index: { grammar: { module: 'tree-sitter-php', key: 'php' }, query: 'php.scm', identifierTypes: ['name'] },
  },
  bash: {
    label: 'shell',
    aliases: ['shell'],
    extensions: ['.sh', '.bash'],
    outputExtension: 'sh',
    lineComment: '#',
    index: { grammar: { module: 'tree-sitter-bash' }, query: 'bash.scm', identifierTypes: ['word', 'variable_name'] },
    snippet: { file: 'assist_snippet.sh', command: 'bash assist_snippet.sh', tools: ['bash'] },
    runFile: {
      command: (file) => `bash ${file}`,
      script: {
        functions: ['function_definition'],
        calls: ['command', 'command_substitution', 'process_substitution'],
        bodies: ['function_definition'],
        optionalParameters: [],
        call: (name) => `${name} "$@"`,
        print: (text) => `echo '${text.replace(/'/g, `'\\''`)}'`,
        readsArgs: /\$\{?[1-9@*#]/,
        firstArg: '$1',
      },
    },
    lint: {
      tool: 'shellcheck',
      summary: '`shellcheck`',
      probe: 'command -v shellcheck',
      scope: 'files',
      // SC2034 (unused variable), SC2148 (no shebang), SC2164 (cd without || exit): style, not mistakes
      command: (files) => `shellcheck -f gcc -S warning -e SC2034,SC2148,SC2164 ${words(files)}`,
      parse: shellcheckDiagnostics,
    },
  },
  sh: {
    label: 'POSIX sh',
    // its files are the bash row's (the index reads both with one grammar)
    extensions: [],
    outputExtension: 'sh',
    lineComment: '#',
    snippet: { file: 'assist_snippet.sh', command: 'sh assist_snippet.sh', tools: ['sh'] },
  },
  ruby: {
    label: 'Ruby',
    aliases: ['rb'],
    extensions: ['.rb', '.rake', '.gemspec'],
    fileNames: ['Rakefile', 'Gemfile'],
    outputExtension: 'rb',
    lineComment: '#',
    index: { grammar: { module: 'tree-sitter-ruby' }, query: 'ruby.scm', identifierTypes: ['identifier', 'constant'] },
    snippet: { file: 'assist_snippet.rb', command: 'ruby assist_snippet.rb', tools: ['ruby'] },
    runFile: {
      extensions: ['.rb'],
      command: (file) => `ruby ${file}`,
      script: {
        functions: ['method'],
        // a bare `hello` at the top level calls hello
        calls: ['call', 'identifier'],
        bodies: ['method', 'singleton_method', 'class', 'module', 'lambda', 'block', 'do_block'],
        loads: ['require', 'require_relative'],
        optionalParameters: ['optional_parameter', 'keyword_parameter', 'splat_parameter', 'hash_splat_parameter', 'block_parameter'],
        call: (name, args) => `${name}(${args.join(', ')})`,
        print: (text) => `puts ${JSON.stringify(text)}`,
        readsArgs: /\bARGV\b|\bARGF\b/,
        firstArg: 'ARGV[0]',
      },
    },
    tests: [whenFile(100, ['Rakefile'], 'rake test')],
    lint: {
      extensions: ['.rb', '.rake'],
      tool: 'ruby -wc',
      summary: '`ruby -wc`',
      probe: 'command -v ruby',
      scope: 'files',
      command: (files) => (files.length === 1 ? `ruby -wc ${words(files)} >/dev/null` : `for f in ${words(files)}; do ruby -wc "$f" >/dev/null; done`),
      parse: rubyDiagnostics,
    },
  },
} as const satisfies Record<string, LanguageRow>;

/** A language's id. */
export type LanguageName = keyof typeof languages;

/** The languages whose row has `part` (`LanguageWith<'lint'>`: those with a check). */
export type LanguageWith<P extends keyof LanguageRow> = { [K in LanguageName]: (typeof languages)[K] extends { [Q in P]: unknown } ? K : never }[LanguageName];

/** Every language id, in row order. */
export const languageNames = Object.keys(languages) as LanguageName[];

/** The ids of the rows that have `part`, in row order. */
export function languagesWith<P extends keyof LanguageRow>(part: P): Array<LanguageWith<P>> {
  return languageNames.filter((name) => languageRow(name)[part] !== undefined) as Array<LanguageWith<P>>;
}

/** The row of a language, as the general row type. */
export function languageRow(name: LanguageName): LanguageRow {
  return languages[name];
}

const byName = new Map<string, LanguageName>();
for (const name of languageNames) {
  byName.set(name, name);
  for (const alias of languageRow(name).aliases ?? []) byName.set(alias, name);
}

/** The language called `name` (its id or an alias, any case), or undefined. */
export function languageNamed(name: string): LanguageName | undefined {
  return byName.get(name.toLowerCase());
}
