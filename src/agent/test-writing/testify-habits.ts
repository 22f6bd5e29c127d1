/**
 * testify's habits in a Go module that does not have it. Asked for a Go test file, the 1.5B model's
 * code completion imported github.com/stretchr/testify/assert in its sample of go-add-test's
 * clamp_test.go in both runs of the day; with no network the module cannot be fetched, `go test`
 * stops at "no required module provides package github.com/stretchr/testify/assert", and no test
 * runs (the file, three good cases in a table, was thrown away for that line). Where go.mod does not
 * require testify, each one-line assertion has a certain meaning in the standard library: `Equal`
 * is `reflect.DeepEqual` (testify's own comparison for all but byte slices), `True` an `if`, `Nil`
 * a comparison with nil, `NoError` one of the error, `Len` one of `len`; `require.` stops the test
 * (`t.Fatalf`) where `assert.` goes on (`t.Errorf`). A file with an assertion not in that table, or
 * one written over several lines, is left to the model.
 */
import { withGoImports, withoutGoImports } from '../checks/go-imports.ts';

/** The failure of a Go test file that imports testify in a module without it. */
const noTestify = /no required module provides package github\.com\/stretchr\/testify\/(?:assert|require)\b/;

/** testify's packages of assertions, as imported. */
const testifyPackage = /"(github\.com\/stretchr\/testify\/(?:assert|require))"/;

/** A one-line assertion: indent, package, function, the arguments' text. */
const assertion = /^(\s*)(assert|require)\.(\w+)\((.*)\)\s*(?:\/\/.*)?$/;

/**
 * What a testify assertion checks, as the Go condition under which it fails and the message it
 * gives; `args` are its arguments after `t`. Undefined for one not in the table, or with too few.
 */
function failsWhen(name: string, args: readonly string[]): { when: string; message: string[]; reflect?: boolean; min: number } | undefined {
  const [a, b] = args;
  const say = (format: string, ...values: string[]) => [JSON.stringify(format), ...values];
  switch (name) {
    case 'Equal':
    case 'EqualValues':
    case 'Exactly':
      return { when: `!reflect.DeepEqual(${a}, ${b})`, message: say('got %v, want %v', b, a), reflect: true, min: 2 };
    case 'NotEqual':
      return { when: `reflect.DeepEqual(${a}, ${b})`, message: say('got %v, want something else', b), reflect: true, min: 2 };
    case 'True':
      return { when: `!(${a})`, message: say(`${verbless(a)} is false`), min: 1 };
    case 'False':
      return { when: `${a}`, message: say(`${verbless(a)} is true`), min: 1 };
    case 'Nil':
      return { when: `${a} != nil`, message: say('got %v, want nil', a), min: 1 };
    case 'NotNil':
      return { when: `${a} == nil`, message: say(`${verbless(a)} is nil`), min: 1 };
    case 'NoError':
      return { when: `${a} != nil`, message: say('unexpected error: %v', a), min: 1 };
    case 'Error':
      return { when: `${a} == nil`, message: say('expected an error, got none'), min: 1 };
    case 'Len':
      return { when: `len(${a}) != ${b}`, message: say('got length %d, want %d', `len(${a})`, b), min: 2 };
    default:
      return undefined;
  }
}

/** Code put into a format string: its `%` doubled, so go vet's printf check reads no verb in it. */
function verbless(code: string): string {
  return code.replaceAll('%', '%%');
}

/** The arguments of a call, split at its top-level commas (brackets, strings, runes and raw strings kept whole). */
export function splitArguments(text: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      const close = ch === '`' ? text.indexOf('`', i + 1) : closingQuote(text, i);
      if (close < 0) return undefined;
      i = close;
    } else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) {
      if (--depth < 0) return undefined;
    } else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  const last = text.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** The index of the quote that closes the string or rune opened at `open`, escapes skipped; -1 when none. */
function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[open]) return i;
  }
  return -1;
}

/**
 * `text` (a Go test file) with testify's assertions written in the standard library, when `output`
 * (its failed run) shows the module lacks testify and `goMod` does not require it; undefined when
 * that is not so, or when an assertion is not one this knows for certain.
 */
export function testifyFix(text: string, output: string, goMod: string | undefined): { text: string; what: string } | undefined {
  if (!noTestify.test(output) || /github\.com\/stretchr\/testify/.test(goMod ?? '')) return undefined;
  // (the import lines first, where the compiler's line numbers would put them: withoutGoImports)
  const imports = text.split('\n').flatMap((line, i) => {
    const imported = testifyPackage.exec(line);
    return imported ? [{ line: i + 1, path: imported[1] }] : [];
  });
  if (imports.length === 0) return undefined;
  const lines = withoutGoImports(text, imports).split('\n');
  const out: string[] = [];
  let count = 0;
  let reflect = false;
  for (const line of lines) {
    if (!/\b(?:assert|require)\./.test(line)) {
      out.push(line);
      continue;
    }
    const call = assertion.exec(line);
    const args = call ? splitArguments(call[4]) : undefined;
    const [indent, pkg, name] = call ? [call[1], call[2], call[3]] : ['', '', ''];
    const check = args && failsWhen(name, args.slice(1));
    // (an assertion over several lines, or not in the table: not certain)
    if (!call || !args || !check || args.length < 1 + check.min) return undefined;
    const t = args[0];
    const extra = args.slice(1 + check.min);
    const report = extra.length > 0 ? extra : check.message;
    out.push(`${indent}if ${check.when} {`, `${indent}\t${t}.${pkg === 'require' ? 'Fatalf' : 'Errorf'}(${report.join(', ')})`, `${indent}}`);
    reflect ||= !!check.reflect;
    count++;
  }
  const written = reflect ? withGoImports(out.join('\n'), ['reflect']) : out.join('\n');
  return {
    text: written,
    what: `${count ? `wrote its ${count} testify assertion${count === 1 ? '' : 's'} with the standard library` : 'removed its import of testify, which it does not use'} (the module does not have github.com/stretchr/testify, and it cannot be fetched here)`,
  };
}
