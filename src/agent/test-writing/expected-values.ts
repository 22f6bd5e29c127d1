/**
 * New tests that expect what the code does not return, in a turn that keeps the code as it is.
 * Asked for tests of code it must not change, the 1.5B model writes the calls right and guesses the
 * results: `assert_equal "hello", Slug.slugify("Hello, World! Hello, World!")`; the run says what
 * the code returns ("hello-world-hello-world"), and the model, told to correct the test, sent the
 * same line back unchanged until the turn ended (ruby-add-test-slug, py-add-test, go-add-test). The
 * code is the reference here (the request says so), so a developer would write down what it returns:
 * a characterization test. assist does that for the equality assertions the runner reports with both
 * values, where the expected side is a plain literal (a string, a number, a boolean, nil/None/null)
 * that matches what the runner printed: minitest's `assert_equal`, pytest's `assert call == value`,
 * node:assert's `equal`/`strictEqual`/`deepEqual`/`deepStrictEqual`, and a Go table row whose
 * subtest says `= got; want want`. Anything else stays the model's.
 */
import { stripVTControlCharacters } from 'node:util';

/** A plain literal, as a runner prints it and as source code writes it. */
interface Literal {
  kind: 'number' | 'string' | 'boolean' | 'null' | 'undefined' | 'nan';
  value: string;
}

/** `text` as a plain literal (`"a"`, `'a'`, `2.5`, `-3`, `true`, `None`, `nil`), or undefined. */
function literal(text: string): Literal | undefined {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return { kind: 'number', value: String(Number(t)) };
  const quoted = /^"([^"\\]*)"$/.exec(t) ?? /^'([^'\\]*)'$/.exec(t);
  if (quoted) return { kind: 'string', value: quoted[1] };
  if (/^(true|false|True|False)$/.test(t)) return { kind: 'boolean', value: t.toLowerCase() };
  if (/^(nil|None|null)$/.test(t)) return { kind: 'null', value: 'null' };
  // JavaScript's own (js-add-test: the median of [] is NaN, the test expected undefined)
  if (t === 'undefined') return { kind: 'undefined', value: 'undefined' };
  if (t === 'NaN') return { kind: 'nan', value: 'NaN' };
  return undefined;
}

const same = (a: Literal | undefined, b: Literal | undefined) => !!a && !!b && a.kind === b.kind && a.value === b.value;

/** `value` written in `language` the way `like` (the literal it replaces) is written; undefined when it cannot be. */
function render(value: Literal, language: 'ruby' | 'python' | 'javascript', like: string): string | undefined {
  switch (value.kind) {
    case 'number':
      return value.value;
    case 'boolean':
      return language === 'python' ? (value.value === 'true' ? 'True' : 'False') : value.value;
    case 'null':
      return language === 'python' ? 'None' : language === 'ruby' ? 'nil' : 'null';
    case 'undefined':
    case 'nan':
      // (node:assert's strictEqual takes NaN for NaN; Python's == does not)
      return language === 'javascript' ? value.value : undefined;
    case 'string': {
      const preferred = like.trim().startsWith("'") ? "'" : '"';
      const quote = value.value.includes(preferred) ? (preferred === '"' ? "'" : '"') : preferred;
      if (value.value.includes(quote) || /[\\\n]/.test(value.value) || (language === 'ruby' && quote === '"' && /#\{/.test(value.value))) return undefined;
      return `${quote}${value.value}${quote}`;
    }
  }
}

/** The arguments of a call's argument list `text` (after its opening parenthesis), split at top-level commas; undefined when it does not close. */
function topLevelArgs(text: string): { args: string[]; end: number } | undefined {
  const args: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) {
        args.push(text.slice(start, i));
        return { args, end: i };
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return undefined;
}

/** One failed equality the runner reported: where, and the two values it printed. */
interface Failure {
  file: string;
  line: number;
  expected: Literal;
  actual: Literal;
}

/** minitest: `[test/test_slug.rb:18]:` then `Expected: "slug"` / `Actual: "untitled"`, or its one-line diff. */
function minitestFailures(output: string): Failure[] {
  const out: Failure[] = [];
  const re = /\[([^\]\s]+?):(\d+)\]:\n(?:Expected: (.+)\n\s*Actual: (.+)|--- expected\n\+\+\+ actual\n@@ -1 \+1 @@\n-(.+)\n\+(.+)\n)/g;
  for (const m of output.matchAll(re)) {
    const expected = literal(m[3] ?? m[5]);
    const actual = literal(m[4] ?? m[6]);
    if (expected && actual) out.push({ file: m[1], line: Number(m[2]), expected, actual });
  }
  return out;
}

/**
 * pytest: `E   AssertionError: assert 'go-1-21' == 'go-1.21'` then `test_slug.py:15: AssertionError`. The
 * two values are the left and right sides as the source writes them; which is expected is settled
 * by the source (the literal side).
 */
function pytestFailures(output: string): Array<{ file: string; line: number; left: Literal; right: Literal }> {
  const out: Array<{ file: string; line: number; left: Literal; right: Literal }> = [];
  let values: { left: Literal; right: Literal } | undefined;
  for (const line of output.split('\n')) {
    const compared = /^E\s+(?:AssertionError: )?assert (.+)$/.exec(line);
    if (compared && !values) {
      // both sides plain literals, so ' == ' splits them unambiguously unless a string holds it
      const sides = compared[1].split(' == ');
      // pytest shortens long values in this line ('hello-world-...d-world-world'): those are not the values
      if (sides.some((side) => side.includes('...'))) continue;
      const left = sides.length === 2 ? literal(sides[0]) : undefined;
      const right = sides.length === 2 ? literal(sides[1]) : undefined;
      if (left && right) values = { left, right };
      continue;
    }
    const where = /^(\S+\.py):(\d+): AssertionError/.exec(line);
    if (where) {
      if (values) out.push({ file: where[1], line: Number(where[2]), ...values });
      values = undefined;
    }
    if (/^_{3,} /.test(line)) values = undefined;
  }
  return out;
}

/**
 * A value as node:test's YAML report writes it, in JavaScript: `~` is null, and an undefined one
 * has no line at all (`strictEqual(median([]), null)` with NaN reads `expected: ~`, `actual: NaN`).
 */
function tapValue(line: string | undefined): string {
  if (line === undefined) return 'undefined';
  return line.trim() === '~' ? 'null' : line;
}

/** node:test's report: `expected: 3`, `actual: 2.5`, `operator: 'strictEqual'`, and the test file's line in the stack. */
function nodeFailures(output: string, files: readonly string[]): Failure[] {
  const out: Failure[] = [];
  const blocks = output.split(/\n\s*(?=not ok \d+ )/);
  for (const block of blocks) {
    const expected = /^\s*expected: (.+)$/m.exec(block);
    const actual = /^\s*actual: (.+)$/m.exec(block);
    const operator = /^\s*operator: '?(strictEqual|equal|deepStrictEqual|deepEqual)'?$/m.exec(block);
    if ((!expected && !actual) || !operator) continue;
    const stack = block.slice(block.search(/^\s*stack:/m) >= 0 ? block.search(/^\s*stack:/m) : 0);
    let where: { file: string; line: number } | undefined;
    for (const m of stack.matchAll(/([^\s()]+):(\d+):\d+\)?$/gm)) {
      const file = files.find((f) => m[1] === f || m[1].endsWith(`/${f}`));
      if (file) {
        where = { file, line: Number(m[2]) };
        break;
      }
    }
    const e = literal(tapValue(expected?.[1]));
    const a = literal(tapValue(actual?.[1]));
    if (where && e && a) out.push({ ...where, expected: e, actual: a });
  }
  return out;
}

/**
 * Go's table-driven tests: `--- FAIL: TestClamp/Clamp_below_lo` then the test's own message, in the
 * common form `Clamp(10, 15, 20) = 15; want 10` (or `got 15, want 10`). The case is the table row
 * whose name is the subtest's (underscores for spaces), and its expected value is the row's last.
 */
function goTableFailures(output: string): Array<{ file: string; name: string; want: Literal; got: Literal }> {
  const out: Array<{ file: string; name: string; want: Literal; got: Literal }> = [];
  const re = /--- FAIL: \w+\/(\S+) \([\d.]+s\)\n\s+(\S+_test\.go):\d+: (.*)$/gm;
  for (const m of output.matchAll(re)) {
    const value = String.raw`(-?[\d.]+|"[^"]*")`;
    // `= 15; want 10`, `got 15, want 10`; or the other way round: `Expected 10, got 15`, `want 10 but got 15`
    const gotFirst = new RegExp(String.raw`(?:=|\bgot:?)\s*${value}[;,]?\s+(?:but\s+)?want(?:ed)?:?\s*${value}\s*$`).exec(m[3]);
    const wantFirst = gotFirst ? null : new RegExp(String.raw`\b(?:expected|want(?:ed)?):?\s*${value}[;,]?\s+(?:but\s+)?got:?\s*${value}\s*$`, 'i').exec(m[3]);
    const got = literal((gotFirst ? gotFirst[1] : wantFirst?.[2]) ?? '');
    const want = literal((gotFirst ? gotFirst[2] : wantFirst?.[1]) ?? '');
    if (got && want) out.push({ file: m[2], name: m[1], got, want });
  }
  return out;
}

/** A test file with its failing expectations set to what the code returns, and what was set, in words. */
export interface ExpectedValuesFix {
  path: string;
  text: string;
  what: string;
}

/**
 * The test files of `tests` (path → text; those the turn wrote) with each failing equality's
 * expected literal set to the value the code returned, from `output` (a failed run of them).
 */
export function actualAsExpected(colored: string, tests: ReadonlyMap<string, string>): ExpectedValuesFix[] {
  // (a runner told to use colour, as pytest is under FORCE_COLOR, wraps the values in escapes)
  const output = stripVTControlCharacters(colored);
  const files = [...tests.keys()];
  const fileOf = (named: string) => files.find((f) => named === f || named.endsWith(`/${f}`) || f.endsWith(`/${named}`));
  const edits = new Map<string, Map<number, { line: string; note: string }>>();
  const set = (file: string, line: number, text: string, note: string) => {
    const byLine = edits.get(file) ?? new Map<number, { line: string; note: string }>();
    byLine.set(line, { line: text, note });
    edits.set(file, byLine);
  };
  const lineOf = (file: string, line: number) => edits.get(file)?.get(line)?.line ?? tests.get(file)!.split('\n')[line - 1];

  for (const f of minitestFailures(output)) {
    const file = fileOf(f.file);
    const source = file && lineOf(file, f.line);
    const m = source && /^(\s*assert_equal[\s(]+)(.+)$/.exec(source);
    const args = m && topLevelArgs(`${m[2]})`);
    if (!file || !m || !args || args.args.length < 2 || !same(literal(args.args[0]), f.expected)) continue;
    const written = render(f.actual, 'ruby', args.args[0]);
    if (!written) continue;
    set(
      file,
      f.line,
      `${m[1]}${written}${m[2].slice(args.args[0].length)}`,
      `${file}:${f.line} expected ${args.args[0].trim()}, and the code returns ${written}`,
    );
  }
  for (const f of pytestFailures(output)) {
    const file = fileOf(f.file);
    const source = file && lineOf(file, f.line);
    const m = source && /^(\s*assert\s+)(.+?)(\s*==\s*)(.+?)(\s*)$/.exec(source);
    if (!file || !m) continue;
    // the literal side is the expectation; the other is the call, whose value the runner printed on its side
    const leftLiteral = literal(m[2]);
    const rightLiteral = literal(m[4]);
    if (rightLiteral && !leftLiteral && same(rightLiteral, f.right)) {
      const written = render(f.left, 'python', m[4]);
      if (written) set(file, f.line, `${m[1]}${m[2]}${m[3]}${written}${m[5]}`, `${file}:${f.line} expected ${m[4].trim()}, and the code returns ${written}`);
    } else if (leftLiteral && !rightLiteral && same(leftLiteral, f.left)) {
      const written = render(f.right, 'python', m[2]);
      if (written) set(file, f.line, `${m[1]}${written}${m[3]}${m[4]}${m[5]}`, `${file}:${f.line} expected ${m[2].trim()}, and the code returns ${written}`);
    }
  }
  for (const f of nodeFailures(output, files)) {
    const source = lineOf(f.file, f.line);
    const m = /^(\s*assert\.(?:strictEqual|equal|deepStrictEqual|deepEqual)\()(.*)$/.exec(source ?? '');
    const args = m && topLevelArgs(m[2]);
    if (!m || !args || args.args.length < 2 || !same(literal(args.args[1]), f.expected)) continue;
    const written = render(f.actual, 'javascript', args.args[1]);
    if (!written) continue;
    const lead = args.args[1].match(/^\s*/)![0];
    const rebuilt = `${m[1]}${args.args[0]},${lead}${written}${m[2].slice(args.args[0].length + 1 + args.args[1].length)}`;
    set(f.file, f.line, rebuilt, `${f.file}:${f.line} expected ${args.args[1].trim()}, and the code returns ${written}`);
  }

  for (const f of goTableFailures(output)) {
    const file = fileOf(f.file);
    if (!file) continue;
    const lines = tests.get(file)!.split('\n');
    // the row that names the case: `{"Clamp below lo", 10, 15, 20, 10},`
    const name = f.name.replace(/_/g, ' ');
    const at = lines.findIndex((line) => line.includes(`"${name}"`) || line.includes(`"${f.name}"`));
    const row = at >= 0 ? /^(\s*\{.*,\s*)([^,{}]+?)(\s*\},?\s*)$/.exec(lineOf(file, at + 1)) : null;
    if (!row || !same(literal(row[2]), f.want)) continue;
    const written = f.got.kind === 'number' ? f.got.value : f.got.kind === 'string' ? render(f.got, 'javascript', '"') : undefined;
    if (!written) continue;
    set(file, at + 1, `${row[1]}${written}${row[3]}`, `${file}:${at + 1} (${name}) expected ${row[2].trim()}, and the code returns ${written}`);
  }

  const fixes: ExpectedValuesFix[] = [];
  for (const [file, byLine] of edits) {
    const lines = tests.get(file)!.split('\n');
    for (const [line, edit] of byLine) lines[line - 1] = edit.line;
    fixes.push({
      path: file,
      text: lines.join('\n'),
      what: `set to what the code returns (it is to stay as it is): ${[...byLine.values()].map((e) => e.note).join('; ')}`,
    });
  }
  return fixes;
}
