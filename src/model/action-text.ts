/**
 * The text form of an action: code travels as raw text, not as an escaped JSON string. A step is
 * one JSON header line `{"thought": ..., "tool": ..., "args": {...}}` holding every argument but
 * the tool's code-bearing one, followed, for tools that declare a text form, by that argument as
 * raw blocks:
 *
 * - `fence`: the text in a fenced block (write_file's content, run_in_sandbox's code)
 *       ```python
 *       print("hi")
 *       ```
 * - `search-replace`: one or more edits of the file the header names (edit_file's edits)
 *       <<<<<<< SEARCH
 *       lines copied from the file
 *       =======
 *       the new lines
 *       >>>>>>> REPLACE
 * - `file-changes`: several files, each a path line followed by its search/replace blocks; an
 *   empty SEARCH creates a new file with the REPLACE text (edit_files' changes).
 *
 * Models write better code this way (aider measured it across many models, "LLMs are bad at
 * returning code in JSON", 2024); the grammar of text-grammar.ts keeps every step a valid action.
 * `renderTextAction` and `parseTextAction` are inverses for every action the grammar allows.
 */
import type { GbnfJsonObjectSchema } from 'node-llama-cpp';
import { ModelError, type Action } from './language-model.ts';

/** How a tool's code-bearing argument is written after the header. */
export type TextForm =
  | {
      form: 'fence';
      arg: string;
      /** The block may be left out: the argument is then null. */
      optional?: boolean;
      /**
       * The header argument without which the block means nothing (run_in_sandbox's `language`): with
       * it null the action ends at the header; with it given the block follows.
       */
      needs?: string;
    }
  | { form: 'search-replace'; arg: string }
  | { form: 'file-changes'; arg: string };

/** What the text form needs to know of a tool. */
export interface TextTool {
  name: string;
  schema: GbnfJsonObjectSchema;
  text?: TextForm;
}

export const searchMarker = '<<<<<<< SEARCH';
export const dividerMarker = '=======';
export const replaceMarker = '>>>>>>> REPLACE';
export const fenceMarker = '```';

/** One search/replace edit as the tools take it. */
export interface SearchReplace {
  find: string;
  replace: string;
}

/** One file of a `file-changes` argument as edit_files takes it. */
export interface FileChangeArg {
  path: string;
  edits: SearchReplace[] | null;
  content: string | null;
}

/** JSON with `, ` and `: ` separators: the one layout the header grammar allows. */
export function headerJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(headerJson).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${headerJson(v)}`)
    .join(', ')}}`;
}

/** The header's args: every property of the schema, in schema order, but the block argument. */
export function headerArgNames(tool: TextTool): string[] {
  return Object.keys(tool.schema.properties ?? {}).filter((name) => name !== tool.text?.arg);
}

/** Lines of `text` as a block body: every line ends with a newline (an empty text is no lines). */
function asLines(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

function renderSearchReplace(edits: SearchReplace[]): string {
  return edits.map((e) => `${searchMarker}\n${asLines(e.find)}${dividerMarker}\n${asLines(e.replace)}${replaceMarker}`).join('\n');
}

/** Fence info strings by file extension. */
const fenceLanguages: Record<string, string> = {
  py: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'jsx',
  ts: 'typescript',
  tsx: 'tsx',
  rb: 'ruby',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  php: 'php',
  swift: 'swift',
  sh: 'bash',
  bash: 'bash',
  md: 'markdown',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  sql: 'sql',
  html: 'html',
  css: 'css',
};

/**
 * The info string of the block of `action`: the language of the file it writes (`python` for
 * fib.py) or of its snippet. Shown a bare fence, the 1.5B model opened a fence of its own inside
 * the block ("```python" as the file's first line) in most writes of one eval run.
 */
function fenceInfo(action: Action): string {
  const { language, path } = action.args as { language?: unknown; path?: unknown };
  if (typeof language === 'string' && /^[a-z][a-z0-9+#-]{0,19}$/i.test(language)) return language;
  const ext = typeof path === 'string' ? /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() : undefined;
  return (ext && fenceLanguages[ext]) ?? '';
}

/** The text a model writes for `action` (used for the conversation history and examples). */
export function renderTextAction(action: Action, tools: ReadonlyArray<TextTool>): string {
  const tool = tools.find((t) => t.name === action.tool);
  const names = tool ? headerArgNames(tool) : Object.keys(action.args);
  const args = Object.fromEntries(names.map((name) => [name, action.args[name] ?? null]));
  const header = headerJson({ thought: action.thought, tool: action.tool, args });
  const form = tool?.text;
  if (!form) return header;
  const value = action.args[form.arg];
  switch (form.form) {
    case 'fence':
      if (typeof value !== 'string') return header;
      return `${header}\n${fenceMarker}${fenceInfo(action)}\n${asLines(value)}${fenceMarker}`;
    case 'search-replace':
      return Array.isArray(value) && value.length ? `${header}\n${renderSearchReplace(value as SearchReplace[])}` : header;
    case 'file-changes': {
      if (!Array.isArray(value) || !value.length) return header;
      const sections = (value as FileChangeArg[]).map((c) => `${c.path}\n${renderSearchReplace(c.edits ?? [{ find: '', replace: c.content ?? '' }])}`);
      return `${header}\n${sections.join('\n')}`;
    }
    default:
      return form satisfies never;
  }
}

const invalid = (message: string, raw: string) => new ModelError('invalid_output', `${message} Output: ${raw.slice(0, 200)}`);

/** Reads search/replace blocks from `lines` starting at `at`; returns the edits and the index after them. */
function readBlocks(lines: string[], at: number, raw: string): { edits: SearchReplace[]; next: number } {
  const edits: SearchReplace[] = [];
  let i = at;
  while (i < lines.length && lines[i] === searchMarker) {
    const find: string[] = [];
    const replace: string[] = [];
    i++;
    while (i < lines.length && lines[i] !== dividerMarker) find.push(lines[i++]);
    if (i >= lines.length) throw invalid(`A ${searchMarker} block has no ${dividerMarker} line.`, raw);
    i++;
    while (i < lines.length && lines[i] !== replaceMarker) replace.push(lines[i++]);
    if (i >= lines.length) throw invalid(`A ${searchMarker} block has no ${replaceMarker} line.`, raw);
    i++;
    edits.push({ find: find.map((l) => `${l}\n`).join(''), replace: replace.map((l) => `${l}\n`).join('') });
  }
  return { edits, next: i };
}

/**
 * Reads an action written in the text form. Throws ModelError('invalid_output') for text that is
 * not one (the grammar makes that impossible for the embedded engine; an HTTP server may not).
 */
export function parseTextAction(raw: string, tools: ReadonlyArray<TextTool>): Action {
  const text = raw.replace(/\s+$/, '');
  const end = text.indexOf('\n');
  const headerText = end < 0 ? text : text.slice(0, end);
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (error) {
    throw new ModelError('invalid_output', `The action's first line is not JSON: ${headerText.slice(0, 200)}`, { cause: error });
  }
  const h = header as Partial<Action> | null;
  if (!h || typeof h !== 'object' || typeof h.tool !== 'string' || !h.args || typeof h.args !== 'object') {
    throw invalid('The action\'s first line is not {"thought": ..., "tool": ..., "args": {...}}.', raw);
  }
  const action: Action = { thought: typeof h.thought === 'string' ? h.thought : '', tool: h.tool, args: { ...(h.args as Record<string, unknown>) } };
  const form = tools.find((t) => t.name === action.tool)?.text;
  const body = end < 0 ? null : text.slice(end + 1);
  if (!form) {
    if (body !== null && body.trim()) throw invalid(`${action.tool} takes no block after its JSON line.`, raw);
    return action;
  }
  switch (form.form) {
    case 'fence': {
      if (body === null) {
        if (!form.optional) throw invalid(`${action.tool} needs its ${form.arg} in a ${fenceMarker} block after the JSON line.`, raw);
        action.args[form.arg] = null;
        return action;
      }
      const lines = body.split('\n');
      if (!lines[0].startsWith(fenceMarker) || lines.length < 2 || lines.at(-1) !== fenceMarker) {
        throw invalid(`The ${form.arg} of ${action.tool} must be one ${fenceMarker} block.`, raw);
      }
      action.args[form.arg] = lines
        .slice(1, -1)
        .map((l) => `${l}\n`)
        .join('');
      return action;
    }
    case 'search-replace': {
      const lines = body === null ? [] : body.split('\n');
      const { edits, next } = readBlocks(lines, 0, raw);
      if (edits.length === 0 || next < lines.length)
        throw invalid(`${action.tool} needs one or more ${searchMarker} ... ${replaceMarker} blocks after the JSON line.`, raw);
      action.args[form.arg] = edits;
      return action;
    }
    case 'file-changes': {
      const lines = body === null ? [] : body.split('\n');
      const changes: FileChangeArg[] = [];
      let i = 0;
      while (i < lines.length) {
        const path = lines[i].trim();
        const { edits, next } = readBlocks(lines, i + 1, raw);
        if (!path || edits.length === 0)
          throw invalid(`Each file of ${action.tool} is a path line followed by ${searchMarker} ... ${replaceMarker} blocks.`, raw);
        const creates = edits.length === 1 && edits[0].find === '';
        changes.push(creates ? { path, edits: null, content: edits[0].replace } : { path, edits, content: null });
        i = next;
      }
      if (changes.length === 0) throw invalid(`${action.tool} needs at least one file after the JSON line.`, raw);
      action.args[form.arg] = changes;
      return action;
    }
    default:
      return form satisfies never;
  }
}

/**
 * A watcher of an action being written that says where it can end early. Small models, once they
 * have written a search/replace block, often go on writing blocks that change nothing until the
 * token limit: the same block again and again (or the same SEARCH with a garbled REPLACE), or
 * blocks whose REPLACE equals their SEARCH (seen in the eval: 5 to 8 copies, 300 to 2,000 tokens,
 * 30 to 190 s a step on two cores). The edit tools apply only the first block for the same lines,
 * and a block that changes nothing not at all, so when the block just completed is one of those
 * (and not the first), the action is complete without it: the watcher returns the text up to the
 * end of the earlier blocks; undefined to go on. One watcher per step (it remembers how far it read).
 */
export function wastedBlockStop(tools: ReadonlyArray<TextTool>): (soFar: string) => string | undefined {
  let checked = -1;
  const end = `\n${replaceMarker}`;
  return (soFar) => {
    const at = soFar.lastIndexOf(end);
    if (at <= checked) return undefined;
    checked = at;
    const upto = soFar.slice(0, at + end.length);
    let action: Action;
    try {
      action = parseTextAction(upto, tools);
    } catch {
      return undefined;
    }
    const form = tools.find((t) => t.name === action.tool)?.text;
    const value = form ? action.args[form.arg] : undefined;
    if (!Array.isArray(value)) return undefined;
    const blocks: Array<{ path: string; edit: SearchReplace }> =
      form?.form === 'file-changes'
        ? (value as FileChangeArg[]).flatMap((c) => (c.edits ?? [{ find: '', replace: c.content ?? '' }]).map((edit) => ({ path: c.path, edit })))
        : (value as SearchReplace[]).map((edit) => ({ path: '', edit }));
    const last = blocks.at(-1);
    if (blocks.length < 2 || !last) return undefined;
    const unchanged = last.edit.find !== '' && last.edit.find === last.edit.replace;
    // the same lines again (with the same or another replacement): the edit tools apply the first only
    const repeated = blocks.slice(0, -1).some((b) => b.path === last.path && b.edit.find === last.edit.find && b.edit.find !== b.edit.replace);
    if (!unchanged && !repeated) return undefined;
    let kept = upto.slice(0, upto.lastIndexOf(`\n${searchMarker}`));
    // a file-changes section that held only the wasted block: its path line goes too
    if (form?.form === 'file-changes' && !kept.endsWith(replaceMarker)) kept = kept.slice(0, Math.max(0, kept.lastIndexOf('\n')));
    return kept;
  };
}

/** Identical lines in a row that make a step a loop, not code (no source file repeats a long line that often). */
export const loopLines = 12;

/** Empty lines in a row that make a step a loop. */
export const blankLoopLines = 24;

/** A group of this many lines at most, repeated, is looked for; a group of two or more must come back this often. */
const maxLoopGroup = 4;
const minGroupRepeats = 4;

/**
 * Whether the text generated so far ends in a loop: the same line (of six or more characters)
 * `loopLines` times in a row, or the same group of two to four lines (six or more characters in
 * all) repeated until it spans `loopLines` lines and at least four times. A small model sometimes
 * writes one line, or a few, over and over until the token limit (rust-fix-average:
 * `serde_dynamo_client_http = "0.13"` until 2,048 tokens, 156 s; c-fix-strlen: "=======", an
 * empty line and a Makefile rule, 197 s); returns what it repeated, so the step can stop there, or undefined.
 */
export function lineLoop(soFar: string): string | undefined {
  const lines = soFar.split('\n');
  const current = lines.pop() ?? ''; // the line being written
  const within = phraseLoop(current) ?? saidAgain(current);
  if (within) return `it wrote ${JSON.stringify(within)} over and over in one line`;
  // (py-fibonacci: a fence, then newlines until the task's time ran out; no code has this many blank lines in a row)
  if (lines.length >= blankLoopLines && lines.slice(-blankLoopLines).every((l) => l.trim() === '')) return `it wrote ${blankLoopLines} empty lines in a row`;
  for (let size = 1; size <= maxLoopGroup; size++) {
    const repeats = size === 1 ? loopLines : Math.max(minGroupRepeats, Math.ceil(loopLines / size));
    if (lines.length < size * repeats) continue;
    const group = lines.slice(-size);
    if (group.join('').trim().length < 6) continue;
    // (a group that is itself a shorter group repeated was looked at with that size)
    if (Array.from({ length: size - 1 }, (_, d) => d + 1).some((d) => size % d === 0 && group.every((l, i) => l === group[i % d]))) continue;
    let looped = true;
    for (let i = size; i < size * repeats && looped; i++) looped = lines[lines.length - 1 - i] === group[size - 1 - (i % size)];
    if (!looped) continue;
    if (size === 1) return `it wrote the line ${JSON.stringify(group[0].trim().slice(0, 80))} ${loopLines} times in a row`;
    const shown = group.map((l) => JSON.stringify(l.trim().slice(0, 40))).join(', ');
    return `it wrote the same ${size} lines (${shown}) ${repeats} times in a row`;
  }
  return growingSeries(lines);
}

/** A phrase repeated this many times in a row, over at least `phraseLoopChars` characters, within one line is a loop. */
const phraseLoopRepeats = 10;
const phraseLoopChars = 200;

/**
 * The phrase the end of `line` repeats over and over, or undefined: py-add-test's model wrote
 * `assert slugify("Hello, World, again, again, again, …` for 109 s without ending the line, so no
 * rule about lines saw it. A phrase of 2 to 30 characters, `phraseLoopRepeats` times or more in a
 * row and `phraseLoopChars` characters in all (no code line repeats itself like that; a separator
 * line of dashes is left alone: the phrase must hold a letter or digit).
 */
function phraseLoop(line: string): string | undefined {
  if (line.length < phraseLoopChars) return undefined;
  for (let size = 2; size <= 30; size++) {
    const repeats = Math.max(phraseLoopRepeats, Math.ceil(phraseLoopChars / size));
    if (line.length < size * repeats) continue;
    const unit = line.slice(-size);
    if (!/[A-Za-z0-9]/.test(unit)) continue;
    let looped = true;
    for (let i = 1; i < repeats && looped; i++) looped = line.slice(-(i + 1) * size, -i * size) === unit;
    if (looped) return unit.trim() || unit;
  }
  return undefined;
}

/** A text action's header from its start through its thought's text so far (the thought not closed yet). */
const thoughtOpen = String.raw`\{"thought": "(?:[^"\\]|\\.)*`;
/** A line that is a header still in its thought. */
const inThought = new RegExp(`^${thoughtOpen}$`);

/**
 * The sentences the end of `line` says over and over (`sentenceLoop`), shortened to be shown; not in
 * a thought, which has a length bound, so the action after it is still written.
 */
function saidAgain(line: string): string | undefined {
  if (inThought.test(line)) return undefined;
  const said = sentenceLoop(line)?.unit.trim();
  return said && (said.length > 60 ? `${said.slice(0, 57)}...` : said);
}

/** The shortest phrase `sentenceLoop` looks for, and the length from which two in a row are a loop (three below it). */
const minSentenceLoop = 31;
const twiceSentenceLoop = 80;

/**
 * The sentences the end of `line` repeats, and how often they are there in a row, or undefined:
 * pyapp-question-rounding's answer said three sentences about rounding, then the same three again
 * and again, in one line, for 2,048 tokens and 4.5 minutes ("The rounding is done in the
 * `build_invoice` function, … The rounding is done in the `amount_cents` function, …");
 * pyapp-question-timer-stop's thought and answer said one sentence of calls until the task's time ran
 * out. A phrase of `minSentenceLoop` characters or more (with a letter) said twice in a row when it
 * is `twiceSentenceLoop` or longer, three times when shorter. Found through the line's last 30
 * characters said before, so each call costs a pass or two over the line.
 */
export function sentenceLoop(line: string): { unit: string; repeats: number } | undefined {
  const probe = 30;
  if (line.length < 3 * minSentenceLoop) return undefined;
  const tail = line.slice(-probe);
  // (the nearest few places it was said before: the shortest phrases first)
  for (let at = line.lastIndexOf(tail, line.length - probe - 1), tries = 0; at >= 0 && tries < 4; at = line.lastIndexOf(tail, at - 1), tries++) {
    const size = line.length - probe - at;
    if (size < minSentenceLoop) continue;
    const repeats = size >= twiceSentenceLoop ? 2 : 3;
    if (line.length < size * repeats) return undefined;
    const unit = line.slice(-size);
    if (!/[A-Za-z]/.test(unit)) return undefined;
    let looped = true;
    for (let i = 1; i < repeats && looped; i++) looped = line.slice(-(i + 1) * size, -i * size) === unit;
    if (looped) return { unit, repeats };
    if (at === 0) break;
  }
  return undefined;
}

/** The start of a text action that answers, up to the answer's text (which runs on to the end). */
const answerStart = new RegExp(`^${thoughtOpen}", "tool": "answer", "args": \\{"text": "`);

/**
 * An answer that says the same sentences over and over (see `sentenceLoop`) is complete once said:
 * the action up to the end of the first time, closed; undefined to go on. The person gets the
 * answer the model gave (pyapp-question-timer-stop's named insert_entry, the function asked for, in
 * each round of its loop) instead of a cancelled step at the task's time limit.
 */
export function answerLoopStop(soFar: string): string | undefined {
  const start = answerStart.exec(soFar);
  if (!start) return undefined;
  const text = soFar.slice(start[0].length);
  const size = sentenceLoop(text)?.unit.length;
  if (!size) return undefined;
  // where the repeating began (what came before the loop was said once), then once round, then on to the end of the sentence it was in
  let from = text.length - 2 * size;
  while (from > 0 && text[from - 1] === text[from - 1 + size]) from--;
  let kept = text.slice(0, from + size);
  const sentenceEnd = /\.(?: |\\n)/.exec(text.slice(from + size));
  if (sentenceEnd && !/\.(?:\s|\\n)*$/.test(kept)) kept = text.slice(0, from + size + sentenceEnd.index + 1);
  kept = kept.trimEnd();
  // (not mid-escape: a backslash the cut left at the end goes)
  while (/(^|[^\\])(\\\\)*\\$/.test(kept)) kept = kept.slice(0, -1);
  return `${start[0]}${kept}"}}`;
}

/** A step's early end in the text protocol: a block that wastes the step (`wastedBlockStop`), or an answer said over and over (`answerLoopStop`). One per step. */
export function earlyStop(tools: ReadonlyArray<TextTool>): (soFar: string) => string | undefined {
  const wasted = wastedBlockStop(tools);
  return (soFar) => wasted(soFar) ?? answerLoopStop(soFar);
}

/** Lines in a row, each the one before it with more added, that make a step a loop (a counting-up series). */
export const growingLines = 8;

/**
 * Whether `lines` end in a series that only grows: `growingLines` lines of one shape (the same line
 * once the insides of quotes and the numbers are set aside), each longer than the one before and
 * holding its quoted text and numbers as they were, with more added. py-add-test's model wrote
 * `assert slugify("Hello, World! 123,456") == "hello-world-123-456"`, then the same with `,789`
 * added, and so on until the task's time ran out.
 */
function growingSeries(lines: readonly string[]): string | undefined {
  if (lines.length < growingLines) return undefined;
  const tail = lines.slice(-growingLines);
  const shape = (line: string) => line.replace(/"[^"]*"|'[^']*'/g, '""').replace(/\d+/g, '0');
  const literals = (line: string) => [...line.matchAll(/"([^"]*)"|'([^']*)'|\d+(?:[.,]\d+)*/g)].map((m) => m[1] ?? m[2] ?? m[0]);
  for (let i = 1; i < tail.length; i++) {
    const [before, now] = [tail[i - 1], tail[i]];
    if (before.trim().length < 12 || now.length <= before.length || shape(now) !== shape(before)) return undefined;
    const [was, is] = [literals(before), literals(now)];
    if (was.length === 0 || was.length !== is.length || !was.every((text, k) => is[k].startsWith(text))) return undefined;
  }
  return `it wrote ${growingLines} lines in a row, each the one before with more added (${JSON.stringify(tail[tail.length - 1].trim().slice(0, 60))})`;
}
