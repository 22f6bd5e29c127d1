/**
 * Arithmetic an answer leaves undone, worked out from the project's constants, as an editor's hover
 * shows a macro's value (clangd: "Value = 4096"). Asked "What is the numeric value of the macro
 * BUF_SIZE used by reader.c?", the 1.5B model answered "4 * KB" with `#define KB 1024` in front of
 * it, and sent back to work it out, answered "4 * KB" again (c-question-bufsize): small models do
 * not do arithmetic. The names in the expression are looked up where the project defines them
 * (`#define KB 1024`, `KB = 1024`, `const KB: usize = 1024;`), a few levels deep, and the
 * expression is evaluated when every name comes to a number; otherwise the answer is left as it is.
 */
import type { RepoIndex } from '../../index/repo-index.ts';
import { escapeRegex } from '../../workspace/search-query.ts';

/** Names resolved at most in one answer, and how deep one constant may lead to others. */
const maxNames = 8;
const maxDepth = 4;

/** A span of an answer that may be arithmetic: numbers, names, operators and brackets, with an operator between two operands. */
const span = /[\w.()]+(?:\s*(?:[*/+%-]|<<|>>)\s*[\w.()]+)+/g;

/** A number as code writes it (`1024`, `1_000`, `0x400`, `1024UL`, `4096usize`, `2.5`), or undefined. */
function literal(token: string): number | undefined {
  const bare = token.replace(/_/g, '').replace(/(?:[uUlL]+|(?:u|i)(?:8|16|32|64|128|size)|f32|f64)$/, '');
  if (/^0x[0-9a-f]+$/i.test(bare)) return Number.parseInt(bare, 16);
  if (/^0b[01]+$/i.test(bare)) return Number.parseInt(bare.slice(2), 2);
  if (/^\d+(\.\d+)?(e[+-]?\d+)?$/i.test(bare)) return Number(bare);
  return undefined;
}

/** The tokens of an expression (numbers, names, operators, brackets), or undefined when it holds anything else. */
function tokens(text: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*(<<|>>|[*/+%()-]|[A-Za-z_]\w*|\d[\w.]*)/y;
  let at = 0;
  while (at < text.trim().length) {
    re.lastIndex = at;
    const m = re.exec(text.trim());
    if (!m) return undefined;
    out.push(m[1]);
    at = re.lastIndex;
  }
  return out;
}

/** The value of `expression` with each name's value from `valueOf`; undefined when a name has none, or it is not plain arithmetic. */
function evaluate(expression: string, valueOf: (name: string) => number | undefined): number | undefined {
  const list = tokens(expression);
  if (!list || list.length === 0) return undefined;
  let i = 0;
  const fail = (): never => {
    throw new Error('not arithmetic');
  };
  const primary = (): number => {
    const t = list[i++] ?? fail();
    if (t === '(') {
      const v = shift();
      if (list[i++] !== ')') fail();
      return v;
    }
    if (t === '-') return -primary();
    const n = literal(t) ?? (/^[A-Za-z_]\w*$/.test(t) ? valueOf(t) : undefined);
    return n ?? fail();
  };
  const product = (): number => {
    let v = primary();
    while (['*', '/', '%'].includes(list[i])) {
      const op = list[i++];
      const r = primary();
      // (a division that leaves a remainder truncates in some languages and not in others: not worked out)
      if (op === '/' && (r === 0 || (Number.isInteger(v) && Number.isInteger(r) && v % r !== 0))) fail();
      v = op === '*' ? v * r : op === '/' ? v / r : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (list[i] === '+' || list[i] === '-') v = list[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const shift = (): number => {
    let v = sum();
    while (list[i] === '<<' || list[i] === '>>') v = list[i++] === '<<' ? v * 2 ** sum() : Math.floor(v / 2 ** sum());
    return v;
  };
  try {
    const v = shift();
    return i === list.length && Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The expression `name` is set to on `line`: `#define NAME expr`, `NAME = expr`, `const NAME: T = expr;`; undefined when it is set to none. */
export function definedValue(line: string, name: string): string | undefined {
  const n = escapeRegex(name);
  const define = new RegExp(`^\\s*#\\s*define\\s+${n}\\s+(.+?)\\s*(?://.*|/\\*.*)?$`).exec(line);
  const assigned = new RegExp(`\\b${n}\\s*(?::[^=]+)?=(?!=)\\s*(.+?)\\s*;?\\s*(?://.*|#.*)?$`).exec(line);
  const value = (define ?? assigned)?.[1];
  return value && tokens(value) ? value : undefined;
}

/**
 * `answer` with each expression in it that comes to a number worked out: `4096 (4 * KB, with KB =
 * 1024)`; `bare`: the same with the number alone. Undefined when nothing was worked out.
 * `read`: a project file's text.
 */
export async function workedOut(
  answer: string,
  index: RepoIndex | undefined,
  read: (file: string) => Promise<string | undefined>,
): Promise<{ text: string; bare: string } | undefined> {
  if (!index) return undefined;
  const values = new Map<string, number | undefined>();
  const lines = new Map<string, string[]>();
  let looked = 0;
  const lookUp = async (name: string, depth: number): Promise<number | undefined> => {
    if (values.has(name)) return values.get(name);
    values.set(name, undefined);
    if (depth > maxDepth || looked++ >= maxNames) return undefined;
    let defs: Array<{ path: string; line: number }> = [];
    try {
      defs = index.symbols(name, { maxRefs: 0 }).defs;
    } catch {
      return undefined;
    }
    const found = new Set<number>();
    for (const def of defs) {
      if (!lines.has(def.path)) lines.set(def.path, (await read(def.path))?.split('\n') ?? []);
      const value = definedValue(lines.get(def.path)?.[def.line - 1] ?? '', name);
      if (value === undefined) continue;
      for (const inner of tokens(value)?.filter((t) => /^[A-Za-z_]\w*$/.test(t)) ?? []) await lookUp(inner, depth + 1);
      const v = evaluate(value, (n) => values.get(n));
      if (v !== undefined) found.add(v);
    }
    // (two definitions that disagree, one per platform or build: not worked out)
    const v = found.size === 1 ? [...found][0] : undefined;
    values.set(name, v);
    return v;
  };
  let text = answer;
  let bare = answer;
  let changed = false;
  for (const m of answer.matchAll(span)) {
    // (a bracket the span took from the prose around it, `(4 * KB`, goes; a pair around it all is kept, and read inside)
    const raw = m[0].replace(/[.]$/, '').replace(/^\(+(?=[^)]*$)|(?<=^[^(]*)\)+$/g, '');
    const expression = /^\((?:[^()]|\([^()]*\))*\)$/.test(raw) ? raw.slice(1, -1) : raw;
    const names = tokens(expression)?.filter((t) => /^[A-Za-z_]\w*$/.test(t)) ?? [];
    // (words joined by a hyphen are prose, not a subtraction; numbers joined by a hyphen or a slash a range, a date or a path)
    if (names.length > 0 && /[A-Za-z]-[A-Za-z]/.test(expression)) continue;
    if (names.length === 0 && !/[*+%]|<<|>>/.test(expression)) continue;
    for (const name of names) await lookUp(name, 0);
    const exact = evaluate(expression, (n) => values.get(n));
    // (a sum of decimals as people write it: 0.1 + 0.2 is 0.3)
    const v = exact === undefined ? undefined : Number(exact.toPrecision(12));
    if (v === undefined || String(v) === expression.trim()) continue;
    const given = names.filter((n) => values.get(n) !== undefined).map((n) => `${n} = ${values.get(n)}`);
    text = text.replace(raw, `${v} (${expression}${given.length ? `, with ${given.join(', ')}` : ''})`);
    bare = bare.replace(raw, String(v));
    changed = true;
  }
  return changed ? { text, bare } : undefined;
}
