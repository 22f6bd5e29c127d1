/**
 * Jest's globals in a test file that node:test runs. Small models write JavaScript tests the Jest
 * way whatever the request says: asked for "a test file using node:test and node:assert", the 1.5B
 * model wrote `describe(…)`, `it(…)` and `expect(median([5])).toBe(5)` with nothing imported; node
 * stopped at "ReferenceError: describe is not defined", and the model, reading that, sent back the
 * same lines three times (js-add-test). In a project that has no Jest (nor Mocha, Vitest, Jasmine)
 * to give those globals, their meaning is certain, so assist writes it the node:test way: the
 * names node:test exports are imported from it, and `expect(a).toBe(b)` and the other common
 * matchers become the node:assert call that checks the same thing. When one `expect` is not of a
 * form known here, none is rewritten: the model gets the error as it was.
 */

/** Names node:test exports that Jest and Mocha provide as globals. */
const nodeTestNames = ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'];

/** Test frameworks that provide globals: a project depending on one runs its tests with it. */
const globalsFrameworkNames = ['jest', 'mocha', 'vitest', 'jasmine', 'ava', '@jest/globals', 'ts-jest', 'babel-jest'];
const frameworkKey = new RegExp(`"(${globalsFrameworkNames.map((name) => name.replace('/', '\\/')).join('|')})"\\s*:`, 'g');
const globalsFrameworks = new RegExp(frameworkKey.source);

/**
 * The project's package.json as far as its test frameworks are installed: the ones it lists but
 * has no node_modules folder for are left out (a model that wrote `"jest"` into package.json
 * offline has not got Jest). Undefined without a package.json.
 */
export async function installedFrameworks(read: (file: string) => Promise<string | undefined>): Promise<string | undefined> {
  const manifest = await read('package.json');
  if (manifest === undefined) return undefined;
  let listed = manifest;
  for (const m of manifest.matchAll(frameworkKey))
    if ((await read(`node_modules/${m[1]}/package.json`)) === undefined) listed = listed.replaceAll(m[0], '"(not installed)":');
  return listed;
}

/** "ReferenceError: describe is not defined" (node), "describe is not defined" (a REPL-like runner). */
const notDefined = /\b(\w+) is not defined\b/g;

/** The text of `text` from `open` (an opening parenthesis) to its matching `)`, exclusive; undefined when unbalanced on the line. */
function balanced(text: string, open: number): string | undefined {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? text.slice(open + 1, i) : undefined;
    } else if (c === '\n') return undefined;
  }
  return undefined;
}

/** `expect(actual).matcher(expected)` as the node:assert call that checks the same; undefined for a matcher not known here. */
function assertFor(actual: string, negated: boolean, matcher: string, expected: string): string | undefined {
  const a = actual.trim();
  const b = expected.trim();
  const one = b === '';
  switch (matcher) {
    case 'toBe':
      return one ? undefined : `assert.${negated ? 'notStrictEqual' : 'strictEqual'}(${a}, ${b})`;
    case 'toEqual':
    case 'toStrictEqual':
      return one ? undefined : `assert.${negated ? 'notDeepStrictEqual' : 'deepStrictEqual'}(${a}, ${b})`;
    case 'toBeNull':
      return `assert.${negated ? 'notStrictEqual' : 'strictEqual'}(${a}, null)`;
    case 'toBeUndefined':
      return `assert.${negated ? 'notStrictEqual' : 'strictEqual'}(${a}, undefined)`;
    case 'toBeDefined':
      return `assert.${negated ? 'strictEqual' : 'notStrictEqual'}(${a}, undefined)`;
    case 'toBeTruthy':
      return negated ? `assert.ok(!(${a}))` : `assert.ok(${a})`;
    case 'toBeFalsy':
      return negated ? `assert.ok(${a})` : `assert.ok(!(${a}))`;
    case 'toBeNaN':
      return `assert.ok(${negated ? '!' : ''}Number.isNaN(${a}))`;
    case 'toHaveLength':
      return one ? undefined : `assert.${negated ? 'notStrictEqual' : 'strictEqual'}((${a}).length, ${b})`;
    case 'toContain':
      return one ? undefined : `assert.ok(${negated ? '!' : ''}(${a}).includes(${b}))`;
    case 'toBeGreaterThan':
    case 'toBeGreaterThanOrEqual':
    case 'toBeLessThan':
    case 'toBeLessThanOrEqual': {
      if (one || negated) return undefined;
      const op = { toBeGreaterThan: '>', toBeGreaterThanOrEqual: '>=', toBeLessThan: '<', toBeLessThanOrEqual: '<=' }[matcher];
      return `assert.ok((${a}) ${op} (${b}))`;
    }
    case 'toBeCloseTo': {
      if (negated) return undefined;
      const [value, digits] = b.split(/,(?![^(]*\))/).map((part) => part.trim());
      if (!value) return undefined;
      return `assert.ok(Math.abs((${a}) - (${value})) < ${digits ? `10 ** -(${digits}) / 2` : '0.005'})`;
    }
    case 'toThrow':
    case 'toThrowError':
      if (negated) return one ? `assert.doesNotThrow(${a})` : undefined;
      if (one) return `assert.throws(${a})`;
      // Jest's string is a part of the message; node:assert's string would be the assertion's own message
      return /^['"`]/.test(b) ? `assert.throws(${a}, (error) => String(error?.message).includes(${b}))` : `assert.throws(${a}, ${b})`;
    default:
      return undefined;
  }
}

/** `text` with every `expect(…).matcher(…)` as its node:assert call, or undefined when one is of a form not known here. */
export function withoutExpect(text: string): string | undefined {
  let out = '';
  let at = 0;
  for (const match of text.matchAll(/\bexpect\(/g)) {
    const start = match.index!;
    if (start < at) continue;
    const actual = balanced(text, start + 'expect'.length);
    if (actual === undefined) return undefined;
    let after = start + 'expect'.length + actual.length + 2;
    const chain = /^\s*\.\s*(not\s*\.\s*)?(\w+)\s*\(/.exec(text.slice(after));
    if (!chain) return undefined;
    const open = after + chain[0].length - 1;
    const expected = balanced(text, open);
    if (expected === undefined) return undefined;
    const call = assertFor(actual, !!chain[1], chain[2], expected);
    if (!call) return undefined;
    after = open + expected.length + 2;
    out += text.slice(at, start) + call;
    at = after;
  }
  return at === 0 ? undefined : out + text.slice(at);
}

/** Whether `text` is an ES module (imports with `import … from`, the file is .mjs/.ts, or it exports without any `require`): then it imports, else it requires. */
export function esModule(text: string, file: string): boolean {
  return /^\s*import\s[^\n]*\bfrom\s/m.test(text) || /\.(mjs|mts|ts|tsx)$/.test(file) || (/^\s*export\s/m.test(text) && !/\brequire\s*\(/.test(text));
}

/** `text` with `line` after a shebang and a `'use strict'` if it has them, else first. */
function withTopLine(text: string, line: string): string {
  const lines = text.split('\n');
  let at = 0;
  while (at < lines.length && (/^#!/.test(lines[at]) || /^\s*['"]use strict['"];?\s*$/.test(lines[at]))) at++;
  lines.splice(at, 0, line);
  return lines.join('\n');
}

/**
 * Test file `file` (text `text`) written the node:test way, given the output of its failed run and
 * the project's package.json (undefined when it has none); undefined when nothing is certain to fix.
 */
export function nodeTestFix(file: string, text: string, output: string, packageJson: string | undefined): { text: string; what: string } | undefined {
  if (packageJson !== undefined && globalsFrameworks.test(packageJson)) return undefined;
  const missing = new Set([...output.matchAll(notDefined)].map((m) => m[1]));
  const globals = nodeTestNames.filter((name) => missing.has(name) || new RegExp(`^\\s*${name}\\s*\\(`, 'm').test(text));
  if (!missing.has('expect') && !nodeTestNames.some((name) => missing.has(name))) return undefined;
  const imported = (name: string) => new RegExp(`^\\s*(import|const|let|var)\\b[^\\n]*\\b${name}\\b[^\\n]*(node:test|node:assert)`, 'm').test(text);
  const needed = globals.filter((name) => !imported(name));
  let next = text;
  const what: string[] = [];
  // node stops at the first missing name (`describe`): the `expect` below it would be the next failure
  const usesExpect = /\bexpect\s*\(/.test(text) && !/^\s*(import|const|let|var)\b[^\n]*\bexpect\b/m.test(text);
  if (missing.has('expect') || usesExpect) {
    const rewritten = withoutExpect(next);
    if (rewritten === undefined) return undefined;
    next = rewritten;
    what.push('each `expect(…).matcher(…)` became the node:assert call that checks the same (node:test has no `expect`)');
    if (!/^\s*(import|const|let|var)\s+(\*\s+as\s+)?assert\b/m.test(next))
      next = withTopLine(next, esModule(next, file) ? "import assert from 'node:assert/strict';" : "const assert = require('node:assert/strict');");
  }
  if (needed.length > 0) {
    const line = esModule(next, file) ? `import { ${needed.join(', ')} } from 'node:test';` : `const { ${needed.join(', ')} } = require('node:test');`;
    next = withTopLine(next, line);
    what.unshift(`imported ${needed.map((n) => `\`${n}\``).join(', ')} from node:test, which runs the tests here (they are not globals)`);
  }
  return next === text ? undefined : { text: next, what: what.join('; ') };
}

/**
 * A module's function required whole: `const median = require('../src/median')` where that module
 * exports `{ median }`, so `median(…)` throws "TypeError: median is not a function" (js-add-test,
 * after its Jest globals). `required(spec)` gives the text of the module `spec` names, relative to
 * the test file (undefined when there is none). The line becomes `const { median } = require(…)`.
 */
export function destructuredRequire(text: string, output: string, required: (spec: string) => string | undefined): { text: string; what: string } | undefined {
  let next = text;
  const names: string[] = [];
  // node prints "TypeError: median is not a function"; node:test's report `error: 'median is not a function'` and `name: 'TypeError'`
  if (!/\bTypeError\b/.test(output)) return undefined;
  for (const m of output.matchAll(/\b(\w+) is not a function\b/g)) {
    if (names.some((n) => n.includes(`{ ${m[1]} }`))) continue;
    const name = m[1];
    const line = new RegExp(`^(\\s*(?:const|let|var)\\s+)${name}(\\s*=\\s*require\\(\\s*(['"])([^'"]+)\\3\\s*\\))`, 'm').exec(next);
    if (!line) continue;
    const module = required(line[4]);
    const exportsIt = new RegExp(`\\bmodule\\.exports\\s*=\\s*\\{[^}]*\\b${name}\\b[^}]*\\}|\\b(module\\.)?exports\\.${name}\\s*=`);
    if (!module || !exportsIt.test(module) || new RegExp(`\\bmodule\\.exports\\s*=\\s*${name}\\b`).test(module)) continue;
    next = next.replace(line[0], `${line[1]}{ ${name} }${line[2]}`);
    names.push(`\`const { ${name} } = require('${line[4]}')\``);
  }
  return names.length === 0 ? undefined : { text: next, what: `the module exports an object holding the function: ${names.join(', ')}` };
}
