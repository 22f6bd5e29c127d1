/**
 * Two slips small models make in pytest tests of a project's classes, fixed where the project's
 * code settles them. Asked for unit tests of tally's `Router`, the 1.5B model wrote tests that take
 * a `router: Router` argument as if a fixture made one (pytest: "fixture 'router' not found"), and
 * asserted `excinfo.value.status_code` of an `HttpError` whose attribute is `status`
 * (pyapp-test-router: three of its ten tests failed on these alone, and were left out).
 *
 * - An argument pytest finds no fixture for, annotated with a class (or named for one the test
 *   file imports: `router` for `Router`) that can be made with no arguments, is made in the test:
 *   `router = Router()` as its first line, the argument gone.
 * - `'HttpError' object has no attribute 'status_code'` at a line of the test, where the class
 *   (found in the project) has exactly one attribute near that name (Python's own "did you mean"
 *   distance, or the same words in part: `status` in `status_code`), reads that attribute there.
 */
import { escapeRegex } from '../../workspace/search-query.ts';
import { namesFile } from '../checks/missing-imports.ts';

/** The source of the project's (or the test file's own) class `name`, undefined when not found. */
export type ClassSource = (name: string) => Promise<string | undefined>;

/** `fixture 'router' not found` and, above it, the file pytest names (`file /work/tests/test_x.py, line 8`). */
const fixtureMissing = /^\s*file (\S+\.py), line \d+\n[\s\S]*?^\s*E\s+fixture '(\w+)' not found/gm;

/** `AttributeError: 'HttpError' object has no attribute 'status_code'`. */
const attributeMissing = /AttributeError: '(\w+)' object has no attribute '(\w+)'/g;

/** `name` in snake case (`HttpClient` → http_client). */
function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The lines of class `name`'s body in Python `source` (the class line first), or undefined. */
export function classBlock(source: string, name: string): string[] | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^(\\s*)class\\s+${escapeRegex(name)}\\b`).test(line));
  if (start < 0) return undefined;
  const indent = /^\s*/.exec(lines[start])?.[0].length ?? 0;
  let end = start + 1;
  while (end < lines.length && (lines[end].trim() === '' || (/^\s*/.exec(lines[end])?.[0].length ?? 0) > indent)) end++;
  // (decorators above the class: `@dataclass`)
  let top = start;
  while (top > 0 && /^\s*@/.test(lines[top - 1])) top--;
  return lines.slice(top, end);
}

/** Whether class `name` in `source` can be made with no arguments: an `__init__` whose parameters all have defaults, or none (no required dataclass field, no base but `object`). */
export function madeWithoutArguments(source: string, name: string): boolean {
  const block = classBlock(source, name);
  if (!block) return false;
  const text = block.join('\n');
  const init = /\bdef\s+__init__\s*\(([^)]*)\)/.exec(text);
  if (init) {
    const params = init[1]
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '' && p !== '/' && p !== '*');
    return params.slice(1).every((p) => p.includes('=') || p.startsWith('*'));
  }
  const head = block.find((line) => /^\s*class\b/.test(line)) ?? '';
  const bases = /\(([^)]*)\)/.exec(head)?.[1].trim();
  if (bases && bases !== 'object') return false;
  if (block.some((line) => /^\s*@(?:dataclasses\.)?dataclass\b/.test(line))) {
    const indent = /^\s*/.exec(block.find((line) => /^\s*class\b/.test(line)) ?? '')?.[0].length ?? 0;
    return block.every((line) => {
      const field = /^(\s*)(\w+)\s*:[^=]*$/.exec(line);
      return !field || field[1].length <= indent || field[2].startsWith('_');
    });
  }
  return true;
}

/** The attributes instances of class `name` in `source` have: fields, `self.x` assignments, methods. */
export function classAttributes(source: string, name: string): string[] {
  const block = classBlock(source, name);
  if (!block) return [];
  const found = new Set<string>();
  for (const line of block.slice(1)) {
    for (const m of line.matchAll(/\bself\.(\w+)\s*(?::[^=]+)?=(?!=)/g)) found.add(m[1]);
    const member = /^\s+(?:async\s+)?def\s+(\w+)|^\s+(\w+)\s*(?::|=(?!=))/.exec(line);
    if (member) found.add(member[1] ?? member[2]);
  }
  return [...found].filter((attr) => !attr.startsWith('__'));
}

/** Python's "did you mean" distance: Levenshtein with insertions, deletions and substitutions costing 2, a change of case 1. */
function suggestionCost(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j * 2);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i * 2;
    for (let j = 1; j <= b.length; j++) {
      const sub = a[i - 1] === b[j - 1] ? 0 : a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 1 : 2;
      const next = Math.min(row[j] + 2, row[j - 1] + 2, diagonal + sub);
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/**
 * The one attribute of `attributes` that `wrong` most likely meant: Python's suggestion (the nearest
 * within its limit), else the one whose words all are in `wrong`'s or hold all of them
 * (`status` for `status_code`); undefined when none or several are.
 */
export function meantAttribute(wrong: string, attributes: readonly string[]): string | undefined {
  const others = attributes.filter((a) => a !== wrong);
  const near = others
    .map((a) => ({ a, cost: suggestionCost(wrong, a) }))
    .filter(({ a, cost }) => cost <= Math.floor(((wrong.length + a.length + 3) * 2) / 6))
    .sort((x, y) => x.cost - y.cost);
  if (near.length > 0) return near.length === 1 || near[0].cost < near[1].cost ? near[0].a : undefined;
  const words = (name: string) => name.toLowerCase().split('_').filter(Boolean);
  const own = words(wrong);
  const sharing = others.filter((a) => {
    const theirs = words(a);
    return theirs.every((w) => own.includes(w)) || own.every((w) => theirs.includes(w));
  });
  return sharing.length === 1 ? sharing[0] : undefined;
}

/**
 * `text` (the Python test file `file`) with what its failed pytest run (`output`) shows it took for
 * a fixture made in the test, and an attribute it misnamed read by its name; undefined when
 * neither applies. `classSource`: where a class the test uses is defined.
 */
export async function pytestFix(file: string, text: string, output: string, classSource: ClassSource): Promise<{ text: string; what: string } | undefined> {
  const what: string[] = [];
  let next = text;
  const missing = new Set<string>();
  for (const m of output.matchAll(fixtureMissing)) if (namesFile(m[1].replace(/^\/work\//, ''), file)) missing.add(m[2]);
  for (const name of missing) {
    const made = await madeFixture(next, name, classSource);
    if (!made) continue;
    next = made.text;
    what.push(`\`${name} = ${made.cls}()\` made in the test that took \`${name}\` as a fixture (the project has none of that name)`);
  }
  const fileName = file.split('/').pop() ?? file;
  const named = new Set([...output.matchAll(new RegExp(`(?:^|[/\\s])${escapeRegex(fileName)}:(\\d+)`, 'gm'))].map((m) => Number(m[1]) - 1));
  const seen = new Set<string>();
  for (const m of output.matchAll(attributeMissing)) {
    const [, cls, wrong] = m;
    if (seen.has(`${cls}.${wrong}`)) continue;
    seen.add(`${cls}.${wrong}`);
    const source = await classSource(cls);
    const meant = source === undefined ? undefined : meantAttribute(wrong, classAttributes(source, cls));
    if (!meant) continue;
    const lines = next.split('\n');
    const access = new RegExp(`\\.${escapeRegex(wrong)}\\b`, 'g');
    let changed = 0;
    for (const at of named) {
      if (lines[at] === undefined || !access.test(lines[at])) continue;
      lines[at] = lines[at].replace(access, `.${meant}`);
      changed++;
    }
    if (changed === 0) continue;
    next = lines.join('\n');
    what.push(`\`.${meant}\` for \`.${wrong}\`, which a \`${cls}\` does not have`);
  }
  return what.length > 0 && next !== text ? { text: next, what: what.join('; ') } : undefined;
}

/** `text` with fixture argument `name` of its tests made in each of them instead, when its class is certain and made with no arguments. */
async function madeFixture(text: string, name: string, classSource: ClassSource): Promise<{ text: string; cls: string } | undefined> {
  const lines = text.split('\n');
  const imported = new Set(
    [...text.matchAll(/^\s*from\s+\S+\s+import\s+\(?([^)\n]+)\)?/gm)].flatMap((m) =>
      m[1].split(',').map(
        (n) =>
          n
            .trim()
            .split(/\s+as\s+/)
            .pop() ?? '',
      ),
    ),
  );
  for (const m of text.matchAll(/^class\s+(\w+)/gm)) imported.add(m[1]);
  let cls: string | undefined;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const def = /^(\s*)(?:async\s+)?def\s+test\w*\s*\(([^)]*)\)(?:\s*->\s*[^:]+)?:\s*$/.exec(lines[i]);
    if (!def) continue;
    const params = def[2].split(',').map((p) => p.trim());
    const at = params.findIndex((p) => new RegExp(`^${escapeRegex(name)}\\b(?!\\s*=)`).test(p));
    if (at < 0) continue;
    const annotated = /:\s*([A-Za-z_]\w*)\s*$/.exec(params[at])?.[1];
    const own = annotated ?? [...imported].find((n) => /^[A-Z]/.test(n) && snake(n) === name);
    if (!own || (cls !== undefined && own !== cls)) return undefined;
    if (cls === undefined) {
      const source = await classSource(own);
      if (source === undefined || !madeWithoutArguments(source, own)) return undefined;
      cls = own;
    }
    const kept = params.filter((_, j) => j !== at && params[j] !== '');
    lines[i] = lines[i].replace(`(${def[2]})`, `(${kept.join(', ')})`);
    const body = lines.slice(i + 1).find((l) => l.trim() !== '');
    const indent = body ? (/^\s*/.exec(body)?.[0] ?? '') : `${def[1]}    `;
    lines.splice(i + 1, 0, `${indent}${name} = ${cls}()`);
    count++;
  }
  return cls && count > 0 ? { text: lines.join('\n'), cls } : undefined;
}
