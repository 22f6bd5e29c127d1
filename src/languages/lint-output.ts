/**
 * Reading checkers' output into diagnostics (`file:line: message`). Each checker prints its own
 * shape; these readers keep what is almost always a real mistake (an undefined name, a type or
 * compile error) and leave out style notes that would send a small model chasing nothing.
 */

/** One problem a checker found. `file` is as the checker printed it (the runner makes it project-relative). */
export interface LintDiagnostic {
  file: string;
  line: number;
  column?: number;
  message: string;
}

/** Lines shaped `file:line[:column]: message` (pyflakes, gcc, go vet, shellcheck `-f gcc`, ruby, most linters). */
export function colonDiagnostics(output: string): LintDiagnostic[] {
  const found: LintDiagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\S(?:.*?\S)?):(\d+)(?::(\d+))?: (.+)$/.exec(line.trimEnd());
    if (!m) continue;
    found.push({ file: m[1], line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}), message: m[4].trim() });
  }
  return found;
}

/** tsc's `--pretty false` lines: `file(line,col): error TS1234: message`. */
export function tscDiagnostics(output: string): Array<LintDiagnostic & { code: string }> {
  const found: Array<LintDiagnostic & { code: string }> = [];
  for (const line of output.split('\n')) {
    const m = /^(\S(?:.*?\S)?)\((\d+),(\d+)\): error (TS\d+): (.+)$/.exec(line.trimEnd());
    if (m) found.push({ file: m[1], line: Number(m[2]), column: Number(m[3]), code: m[4], message: m[5].trim() });
  }
  return found;
}

/** Any of the common shapes: what a command from the settings (`lint.<language>`) is read with. */
export function anyDiagnostics(output: string): LintDiagnostic[] {
  const tsc = tscDiagnostics(output).map(({ code: _code, ...d }) => d);
  return tsc.length ? tsc : colonDiagnostics(output);
}

/** pyflakes messages about code that runs as meant (an unused import or variable, a plain f-string). */
const pyflakesNoise = [
  /imported but unused/,
  /is assigned to but never used/,
  /f-string is missing placeholders/,
  /^redefinition of unused /,
  /unable to detect undefined names/,
];

/** pyflakes: everything but unused names and placeholder-less f-strings. */
export function pyflakesDiagnostics(output: string): LintDiagnostic[] {
  return colonDiagnostics(output).filter((d) => !pyflakesNoise.some((re) => re.test(d.message)));
}

/**
 * tsc errors that say the sandbox lacks something, not that the code is wrong: a package's module
 * or types not installed, the names of Node or a test runner without their types.
 */
const tscEnvironmentCodes = new Set(['TS2580', 'TS2582', 'TS2591', 'TS2593', 'TS2688']);

/** tsc: errors, without those about packages or type definitions the sandbox does not have. */
export function tscCheckDiagnostics(output: string): LintDiagnostic[] {
  return tscDiagnostics(output)
    .filter((d) => !tscEnvironmentCodes.has(d.code))
    .filter((d) => !((d.code === 'TS2307' || d.code === 'TS7016') && /module '(?![./])/.test(d.message)))
    .map(({ code: _code, ...d }) => d);
}

/**
 * `node --check`: on a syntax error node prints `path:line`, the line, a caret, a blank line, then
 * `SyntaxError: message`.
 */
export function nodeCheckDiagnostics(output: string): LintDiagnostic[] {
  const lines = output.split('\n');
  const found: LintDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = /^(\S(?:.*?\S)?\.[cm]?js):(\d+)$/.exec(lines[i].trimEnd());
    if (!at) continue;
    for (let j = i + 1; j < Math.min(lines.length, i + 8); j++) {
      const error = /^([A-Z]\w*Error): (.+)$/.exec(lines[j].trim());
      if (!error) continue;
      found.push({ file: at[1], line: Number(at[2]), message: `${error[1]}: ${error[2]}` });
      i = j;
      break;
    }
  }
  return found;
}

/** gcc and g++: errors only (`-Werror=` turns the warnings that are nearly always bugs into errors). */
export function gccDiagnostics(output: string): LintDiagnostic[] {
  return colonDiagnostics(output)
    .filter((d) => /^(fatal )?error: /.test(d.message))
    .map((d) => ({ ...d, message: d.message.replace(/^(fatal )?error: /, '').replace(/ \[-Werror=[\w-]+\]$/, '') }));
}

/** go vet: `vet: ` or `# package` lines around `file.go:line:col: message`. */
export function goVetDiagnostics(output: string): LintDiagnostic[] {
  return colonDiagnostics(output.replace(/^vet: /gm, '')).filter((d) => d.file.endsWith('.go'));
}

/** Ruby warnings about code that runs as meant. */
const rubyNoise = [/assigned but unused variable/, /mismatched indentations/];

/** `ruby -wc`: syntax errors and warnings, but unused variables and indentation. */
export function rubyDiagnostics(output: string): LintDiagnostic[] {
  return colonDiagnostics(output)
    .filter((d) => !rubyNoise.some((re) => re.test(d.message)))
    .map((d) => ({ ...d, message: d.message.replace(/^warning: /, '') }));
}

/** shellcheck `-f gcc`: `file:line:col: warning: message [SC2154]`. */
export function shellcheckDiagnostics(output: string): LintDiagnostic[] {
  return colonDiagnostics(output)
    .filter((d) => /^(error|warning): /.test(d.message))
    .map((d) => ({ ...d, message: d.message.replace(/^(error|warning): /, '').replace(/ \[SC\d+\]$/, '') }));
}
