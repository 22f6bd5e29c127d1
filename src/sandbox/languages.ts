/**
 * The languages `run_in_sandbox` runs from source: where the code is written in the work
 * directory and the shell command that builds and runs it. Compiled output goes to `$TMPDIR`,
 * which every backend points at a private, writable directory.
 */

export interface LanguageRecipe {
  /** Canonical name shown to the model. */
  name: string;
  /** File name the code is written to, relative to the work directory. */
  file: string;
  /** Shell command run in the work directory. */
  command: string;
  /** The programs the command needs (what a sandbox without an image must find on the host). */
  tools: readonly string[];
}

const recipes: Record<string, Omit<LanguageRecipe, 'name'>> = {
  python: { file: 'assist_snippet.py', command: 'python3 assist_snippet.py', tools: ['python3'] },
  javascript: { file: 'assist_snippet.js', command: 'node assist_snippet.js', tools: ['node'] },
  typescript: {
    file: 'assist_snippet.ts',
    // Type errors go to stderr; the emitted JavaScript still runs (like ts-node --transpile-only would).
    command:
      'tsc --outDir "$TMPDIR/assist-ts" --target es2020 --module commonjs --esModuleInterop --skipLibCheck --pretty false assist_snippet.ts >&2;' +
      ' node "$TMPDIR/assist-ts/assist_snippet.js"',
    tools: ['tsc', 'node'],
  },
  go: { file: 'assist_snippet.go', command: 'go run assist_snippet.go', tools: ['go'] },
  rust: { file: 'assist_snippet.rs', command: 'rustc --edition 2021 -O -o "$TMPDIR/assist_snippet" assist_snippet.rs && "$TMPDIR/assist_snippet"', tools: ['rustc', 'cc'] },
  c: { file: 'assist_snippet.c', command: 'gcc -O2 -Wall -o "$TMPDIR/assist_snippet" assist_snippet.c -lm && "$TMPDIR/assist_snippet"', tools: ['gcc'] },
  cpp: { file: 'assist_snippet.cpp', command: 'g++ -O2 -Wall -std=c++17 -o "$TMPDIR/assist_snippet" assist_snippet.cpp && "$TMPDIR/assist_snippet"', tools: ['g++'] },
  java: { file: 'Main.java', command: 'java Main.java', tools: ['java'] },
  bash: { file: 'assist_snippet.sh', command: 'bash assist_snippet.sh', tools: ['bash'] },
  sh: { file: 'assist_snippet.sh', command: 'sh assist_snippet.sh', tools: ['sh'] },
  ruby: { file: 'assist_snippet.rb', command: 'ruby assist_snippet.rb', tools: ['ruby'] },
};

const aliases: Record<string, string> = {
  py: 'python', python3: 'python', js: 'javascript', node: 'javascript', nodejs: 'javascript',
  ts: 'typescript', golang: 'go', rs: 'rust', 'c++': 'cpp', cxx: 'cpp', cc: 'cpp', shell: 'bash',
  rb: 'ruby',
};

/** Names accepted for `language` (canonical ones). */
export const supportedLanguages: readonly string[] = Object.keys(recipes);

/** The recipe for a language name or alias (case-insensitive), or `undefined`. */
export function languageRecipe(language: string): LanguageRecipe | undefined {
  const key = language.trim().toLowerCase();
  const name = recipes[key] ? key : aliases[key];
  const recipe = name ? recipes[name] : undefined;
  return recipe && name ? { name, ...recipe } : undefined;
}
