/**
 * The GBNF grammar of the text form of actions (action-text.ts): a JSON header in one fixed
 * layout, then the tool's raw blocks. It can also know the workspace, so that a wrong path or an
 * edit anchor that is not in the file cannot be written at all:
 *
 * - path arguments a tool marks as naming an existing file take one of the workspace's files
 *   (a trie of the paths, so a large repository stays a small grammar);
 * - an edit's SEARCH lines are a run of consecutive lines of the file as it is now, for every
 *   file the model has seen (read, shown, or written); a file it has not seen cannot be edited
 *   by search/replace until it is read.
 *
 * Only the header's JSON-schema subset the tools use is supported (strings, integers, booleans,
 * null, enums, consts, unions, arrays and objects of those).
 */
import type { GbnfJsonObjectSchema } from 'node-llama-cpp';
import { dividerMarker, fenceMarker, headerArgNames, replaceMarker, searchMarker, type TextTool } from './action-text.ts';
import { defaultMaxThoughtLength } from './action-schema.ts';

/** What the grammar may know of the workspace. */
export interface WorkspaceView {
  /** Every existing file, project-relative with '/'; path arguments that must exist take one of these. Absent: any path. */
  files?: readonly string[];
  /** The current text of every file the model has seen; search/replace edits may only name these. */
  seen?: ReadonlyMap<string, string>;
  /** Files the conversation shows whole and unchanged: when they are all the files, `unshownPaths` tools are left out. */
  shown?: ReadonlySet<string>;
}

/** A tool as the grammar sees it: its text form and which arguments must name an existing file. */
export interface GrammarTool extends TextTool {
  existingPaths?: readonly string[];
  /** Of `existingPaths`, those whose tool is left out while the conversation shows every file whole and unchanged (read_file: their lines are above). */
  unshownPaths?: readonly string[];
}

export interface TextGrammarOptions {
  maxThoughtLength?: number;
  maxAnswerLength?: number;
  workspace?: WorkspaceView;
  /** Tries of more files than this are left out (the path is then any string). */
  maxTrieFiles?: number;
  /** Leave `answer` out (a step right after an answer was sent back acts first); ignored when `tools` is empty. */
  noAnswer?: boolean;
}

/** Lines longer than this are never anchors (read_file cuts them, so the model cannot copy them). */
const maxAnchorLineChars = 2000;

/** A GBNF string literal for `text`. */
export function gbnfLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A GBNF character class body for one character. */
function classChar(ch: string): string {
  if (ch === '\\' || ch === ']' || ch === '^' || ch === '-' || ch === '[') return `\\${ch}`;
  if (ch === '\n') return '\\n';
  if (ch === '\t') return '\\t';
  if (ch === '\r') return '\\r';
  return ch;
}

/** Collects named rules, reusing a rule whose body was already written. */
class RuleSet {
  private readonly bodies = new Map<string, string>();
  private readonly order: Array<[string, string]> = [];
  private counter = 0;

  /** The name of a rule with this body (a new one, or the existing one). */
  add(hint: string, body: string): string {
    const existing = this.bodies.get(body);
    if (existing) return existing;
    const name = `${
      hint
        .replace(/[^a-zA-Z0-9-]/g, '-')
        .replace(/-+/g, '-')
        .replace(/^-|-$/g, '') || 'r'
    }-${this.counter++}`;
    this.bodies.set(body, name);
    this.order.push([name, body]);
    return name;
  }

  /** A rule with a fixed name and a body that may name rules added later (recursion). */
  define(name: string, body: string): void {
    this.order.push([name, body]);
  }

  text(): string {
    return this.order.map(([name, body]) => `${name} ::= ${body}`).join('\n');
  }
}

const jsonChar = '[^"\\\\\\x7F\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})';

function jsonStringRule(rules: RuleSet, minLength = 0, maxLength?: number): string {
  const char = rules.add('json-char', jsonChar);
  const times = maxLength !== undefined ? `{${minLength},${maxLength}}` : minLength > 0 ? '+' : '*';
  return rules.add(`string-${minLength}-${maxLength ?? 'n'}`, `"\\"" ( ${char} )${times} "\\""`);
}

/** A value rule for a (header) JSON schema. */
/** The rule of `schema`'s values other than null (an enum without null, a type list without "null"). */
function nonNullRule(rules: RuleSet, schema: unknown, hint: string): string {
  const s = (schema ?? {}) as Record<string, unknown>;
  if (Array.isArray(s.enum)) return valueRule(rules, { ...s, enum: s.enum.filter((v) => v !== null) }, hint);
  if (Array.isArray(s.type)) return valueRule(rules, { ...s, type: s.type.filter((t) => t !== 'null') }, hint);
  return valueRule(rules, s, hint);
}

function valueRule(rules: RuleSet, schema: unknown, hint: string): string {
  const s = (schema ?? {}) as Record<string, unknown>;
  if ('const' in s) return rules.add(`${hint}-const`, gbnfLiteral(JSON.stringify(s.const)));
  if (Array.isArray(s.enum)) return rules.add(`${hint}-enum`, s.enum.map((v) => gbnfLiteral(JSON.stringify(v))).join(' | '));
  const union = (s.oneOf ?? s.anyOf) as unknown[] | undefined;
  if (Array.isArray(union)) return rules.add(`${hint}-union`, union.map((v, i) => valueRule(rules, v, `${hint}-${i}`)).join(' | '));
  if (Array.isArray(s.type)) return rules.add(`${hint}-union`, s.type.map((t) => valueRule(rules, { ...s, type: t }, hint)).join(' | '));
  switch (s.type) {
    case 'string':
      return jsonStringRule(rules, Number(s.minLength ?? 0), s.maxLength === undefined ? undefined : Number(s.maxLength));
    case 'integer':
      return rules.add('integer', `${Number(s.minimum) >= 0 ? '' : '"-"? '}("0" | [1-9] [0-9]{0,14})`);
    case 'number':
      return rules.add('number', '"-"? ("0" | [1-9] [0-9]{0,14}) ("." [0-9]{1,15})?');
    case 'boolean':
      return rules.add('boolean', '"true" | "false"');
    case 'null':
      return rules.add('null', '"null"');
    case 'array': {
      const item = valueRule(rules, s.items, `${hint}-item`);
      const max = s.maxItems === undefined ? '*' : `{0,${Math.max(0, Number(s.maxItems) - 1)}}`;
      const rest = `( ", " ${item} )${max}`;
      return rules.add(`${hint}-array`, Number(s.minItems ?? 0) > 0 ? `"[" ${item} ${rest} "]"` : `"[" ( ${item} ${rest} )? "]"`);
    }
    case 'object': {
      const props = Object.entries((s.properties ?? {}) as Record<string, unknown>);
      const parts = props.map(([k, v]) => `${gbnfLiteral(`${JSON.stringify(k)}: `)} ${valueRule(rules, v, `${hint}-${k}`)}`);
      return rules.add(`${hint}-object`, parts.length ? `"{" ${parts.join(' ", " ')} "}"` : '"{}"');
    }
    default:
      throw new Error(`The text form cannot express the schema ${JSON.stringify(schema).slice(0, 120)} (${hint}).`);
  }
}

/**
 * A rule for one of `paths` as a JSON string: a trie, so shared folders are written once and
 * the grammar grows with the number of files, not with their total length.
 */
function pathTrieRule(rules: RuleSet, paths: readonly string[]): string {
  type Node = Map<string, Node | null>;
  const root: Node = new Map();
  for (const p of new Set(paths)) {
    const encoded = JSON.stringify(p).slice(1, -1);
    // split after each '/', so folders are the trie's edges
    const parts = encoded.match(/[^/]*\/|[^/]+$/g) ?? [encoded];
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        if (!node.has(part)) node.set(part, null);
        else if (node.get(part) !== null) node.set(`${part}\u0000leaf`, null);
        return;
      }
      let child = node.get(part);
      if (!child) {
        child = new Map();
        node.set(part, child);
      }
      node = child;
    });
  }
  const emit = (node: Node): string => {
    const alts = [...node].map(([part, child]) => (child ? `${gbnfLiteral(part)} ${emit(child)}` : gbnfLiteral(part.replace('\u0000leaf', ''))));
    return rules.add('path', alts.join(' | '));
  };
  return rules.add('path-string', `"\\"" ${emit(root)} "\\""`);
}

/** A line (ending in a newline) that does not start with `prefix`. */
function lineNotStartingWith(rules: RuleSet, prefix: string): string {
  const name = `not-${prefix.replace(/[^A-Za-z]/g, '') || 'marker'}-${prefix.length}`;
  const any = rules.add('rest-of-line', '[^\\n]* "\\n"');
  let next = '';
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = classChar(prefix[i]);
    const alts = [`"\\n"`, `[^${c}\\n] ${any}`];
    if (next) alts.push(`${gbnfLiteral(prefix[i])} ${next}`);
    next = rules.add(`${name}-${i}`, alts.join(' | '));
  }
  return next;
}

/** The SEARCH part: consecutive lines of `text`, starting anywhere. */
function anchorRule(rules: RuleSet, file: string, text: string): string | undefined {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  if (lines.length === 0 || lines.some((l) => l.length > maxAnchorLineChars)) return undefined;
  const hint = `at-${file.split('/').pop()}`;
  // from-i: line i, then optionally the run from line i+1 on; built backwards so each names the next
  const names: string[] = new Array(lines.length);
  for (let i = lines.length - 1; i >= 0; i--) {
    const literal = gbnfLiteral(`${lines[i]}\n`);
    names[i] = rules.add(`${hint}-${i + 1}`, i + 1 < lines.length ? `${literal} ${names[i + 1]}?` : literal);
  }
  return rules.add(`${hint}-span`, [...new Set(names)].join(' | '));
}

function searchReplaceRule(rules: RuleSet, search: string): string {
  const replaceLine = lineNotStartingWith(rules, replaceMarker);
  const block = rules.add(
    'sr-block',
    `${gbnfLiteral(`${searchMarker}\n`)} ${search} ${gbnfLiteral(`${dividerMarker}\n`)} ${replaceLine}* ${gbnfLiteral(replaceMarker)}`,
  );
  // at most 8 blocks a file in one action: more is a model repeating itself (a long change can take two actions)
  return rules.add('sr-blocks', `${block} ( "\\n" ${block} ){0,7}`);
}

/**
 * A fenced block. Strict (code): no line of the block starts with "```", so the first such line
 * closes it and ends the step. Without that, a model that closed its code by chat habit and wrote
 * on (a second action, then newlines to the token limit: go-add-test lost a 113 s step that way; in
 * 9 of 162 blocks of earlier runs the code held fence lines) had its fence and what followed
 * written into the file; and while a line of more backticks was code, a model whose closing token
 * ("```\n") the grammar refused wrote "`````" instead and went on (bash-count-lines wrote a second
 * action into count.sh). Only the first line may be a fence with a language of its own (write_file
 * takes it off). Loose (prose files, whose code blocks close with "```"): any line, the last "```"
 * closes.
 */
function fenceRule(rules: RuleSet, strict = true): string {
  const line = rules.add('rest-of-line', '[^\\n]* "\\n"');
  const info = '[a-zA-Z0-9_+#.-]{0,20}';
  if (!strict) return rules.add('fence-prose', `${gbnfLiteral(fenceMarker)} ${info} "\\n" ${line}* ${gbnfLiteral(fenceMarker)}`);
  const notFence = (tick: number): string => `"\\n" | [^\`\\n] ${line}${tick < 2 ? ` | "\`" ( ${notFence(tick + 1)} )` : ''}`;
  const codeLine = rules.add('code-line', notFence(0));
  const ownFence = `( ${gbnfLiteral(fenceMarker)} [a-zA-Z0-9_+#.-]{1,20} "\\n" )?`;
  return rules.add('fence', `${gbnfLiteral(fenceMarker)} ${info} "\\n" ${ownFence} ${codeLine}* ${gbnfLiteral(fenceMarker)}`);
}

/** A JSON string naming a prose file (Markdown, reStructuredText, AsciiDoc, text): its block may hold fences. */
function prosePathRule(rules: RuleSet): string {
  return rules.add('prose-path', `"\\"" [^"\\\\\\n]* ( ".md" | ".MD" | ".markdown" | ".mdx" | ".rst" | ".adoc" | ".txt" ) "\\""`);
}

/** The seen files an edit may name, each with the rule of its SEARCH lines. */
function editableFiles(rules: RuleSet, seen: ReadonlyMap<string, string>): Array<{ path: string; search: string }> {
  const out: Array<{ path: string; search: string }> = [];
  for (const [path, text] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
    const anchor = anchorRule(rules, path, text);
    if (anchor) out.push({ path, search: anchor });
  }
  return out;
}

/**
 * The grammar of one step: `tools` (in the order given) plus `answer`. Tools whose edits need a
 * seen file are left out while there is none.
 */
export function buildTextGrammar(tools: ReadonlyArray<GrammarTool>, options: TextGrammarOptions = {}): string {
  const rules = new RuleSet();
  const workspace = options.workspace ?? {};
  const files = workspace.files && workspace.files.length > 0 && workspace.files.length <= (options.maxTrieFiles ?? 20_000) ? workspace.files : undefined;
  const existingPath = files ? pathTrieRule(rules, files) : undefined;
  // a read of a file whose lines are above is a wasted step (small models re-read the file they must fix): with every
  // file shown, `unshownPaths` tools are left out. Only then: a trie without the shown files steered the model's path
  // elsewhere mid-word (pyapp-test-router: its thought "I read tally/api/routing.py again", its path
  // tally/api/reports.py, which it then edited), where a re-read of a shown file only costs the step its reminder.
  const allShown = !!files && !!workspace.shown && files.every((f) => workspace.shown!.has(f));
  const editable = editableFiles(rules, workspace.seen ?? new Map());
  const alternatives: string[] = [];

  for (const tool of tools) {
    const form = tool.text;
    const names = headerArgNames(tool);
    const props = (tool.schema.properties ?? {}) as Record<string, unknown>;
    // every file it could name is shown already: the tool is left out this step
    if (allShown && names.some((name) => tool.existingPaths?.includes(name) && tool.unshownPaths?.includes(name))) continue;
    const argRule = (name: string) =>
      existingPath && tool.existingPaths?.includes(name) ? existingPath : valueRule(rules, props[name], `${tool.name}-${name}`);
    const start = gbnfLiteral(`${JSON.stringify(tool.name)}, "args": {`);
    const header = (parts: string[]) => (parts.length ? parts.join(' ", " ') : '');
    const argPart = (name: string, rule: string) => `${gbnfLiteral(`${JSON.stringify(name)}: `)} ${rule}`;
    if (form?.form === 'search-replace') {
      // one alternative per editable file: its path literal, then blocks anchored in its lines
      if (editable.length === 0) continue;
      const pathArg = names.includes('path') ? 'path' : names[0];
      const before = names.slice(0, names.indexOf(pathArg)).map((n) => argPart(n, argRule(n)));
      const after = names.slice(names.indexOf(pathArg) + 1).map((n) => argPart(n, argRule(n)));
      const perFile = editable.map(({ path, search }) => {
        const parts = [...before, argPart(pathArg, gbnfLiteral(JSON.stringify(path))), ...after];
        return `${header(parts)} ${gbnfLiteral('}}\n')} ${searchReplaceRule(rules, search)}`;
      });
      alternatives.push(rules.add(`tool-${tool.name}`, `${start} ( ${perFile.join(' | ')} )`));
      continue;
    }
    const parts = names.map((n) => argPart(n, argRule(n)));
    const head = parts.length ? `${start} ${header(parts)} "}}"` : `${start} "}}"`;
    const needs = form?.form === 'fence' && form.optional && form.needs && names.includes(form.needs) ? form.needs : undefined;
    if (needs) {
      // with the argument null nothing follows the header (a model given a command wrote the run's output
      // as a block, one long line, until the time ran out); with it given the block does
      const given = nonNullRule(rules, props[needs], `${tool.name}-${needs}-given`);
      const without = names.map((n) => argPart(n, n === needs ? gbnfLiteral('null') : argRule(n)));
      const withIt = names.map((n) => argPart(n, n === needs ? given : argRule(n)));
      alternatives.push(rules.add(`tool-${tool.name}`, `( ${start} ${header(without)} "}}" ) | ( ${start} ${header(withIt)} "}}" "\n" ${fenceRule(rules)} )`));
      continue;
    }
    let body = '';
    if (form?.form === 'fence') body = form.optional ? `( "\\n" ${fenceRule(rules)} )?` : `"\\n" ${fenceRule(rules)}`;
    if (form?.form === 'fence' && !form.optional && names.includes('path') && !tool.existingPaths?.includes('path')) {
      // a prose file's text may hold code blocks: its block is closed by the last fence, not the first
      const proseParts = names.map((n) => argPart(n, n === 'path' ? prosePathRule(rules) : argRule(n)));
      const prose = `${start} ${header(proseParts)} "}}" "\\n" ${fenceRule(rules, false)}`;
      alternatives.push(rules.add(`tool-${tool.name}`, `( ${head} ${body} ) | ( ${prose} )`));
      continue;
    }
    if (form?.form === 'file-changes') {
      // only files the model has seen, each with blocks anchored in its lines (new files: write_file)
      if (editable.length === 0) continue;
      const sections = editable.map(({ path, search }) => `${gbnfLiteral(`${path}\n`)} ${searchReplaceRule(rules, search)}`);
      const section = rules.add('file-section', sections.join(' | '));
      body = `"\\n" ${section} ( "\\n" ${section} ){0,19}`;
    }
    alternatives.push(rules.add(`tool-${tool.name}`, `${head}${body ? ` ${body}` : ''}`));
  }
  if (!options.noAnswer || alternatives.length === 0) {
    const answerText = jsonStringRule(rules, 0, options.maxAnswerLength ?? 4000);
    alternatives.push(rules.add('tool-answer', `${gbnfLiteral('"answer", "args": {"text": ')} ${answerText} "}}"`));
  }
  const thought = jsonStringRule(rules, 0, options.maxThoughtLength ?? defaultMaxThoughtLength);
  // one newline may end the action: a block's closing token is often "```\n", and refused it a model writes something else
  rules.define('root', `${gbnfLiteral('{"thought": ')} ${thought} ${gbnfLiteral(', "tool": ')} ( ${alternatives.join(' | ')} ) "\\n"?`);
  // root first: llama.cpp starts from the rule named root wherever it is, but people read top-down
  const text = rules.text().split('\n');
  const rootLine = text.pop()!;
  return [rootLine, ...text].join('\n');
}

/** The header-only JSON schema of `tool` (its args without the block argument), for describing it. */
export function headerSchema(tool: TextTool): GbnfJsonObjectSchema {
  const names = new Set(headerArgNames(tool));
  const properties = Object.fromEntries(Object.entries(tool.schema.properties ?? {}).filter(([k]) => names.has(k)));
  return { ...tool.schema, properties } as GbnfJsonObjectSchema;
}
