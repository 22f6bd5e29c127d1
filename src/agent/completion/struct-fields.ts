/**
 * The fields of an empty struct whose methods are stubs, written by code completion before the
 * bodies (and likewise a Ruby class's missing `initialize`). An exercise in Rust or Go often gives
 * `pub struct Keypad {}` (or `pub struct Keypad;`, `type Keypad struct{}`) and methods to fill:
 * the state the methods share has nowhere to live until fields are written, and a body can only
 * be written into its own gap. In the eval the 1.5B model's bodies for rust-keypad's `press`
 * called `self.state()` on a struct with no fields, and no body could keep a count of wrong codes.
 * With the methods' signatures and docs below the gap, the model writes the fields they need
 * (`state: State`, `failed: u32`), and the bodies are then written with those fields in view; the
 * tests judge the whole as before. A Ruby class that reads its state (`attr_reader :major,
 * :minor`) but has no `initialize` is the same gap: ruby-semver's `Version.parse` was written as
 * `Version.new(major, minor, …)` seven times and each failed on "wrong number of arguments".
 */
import { languageOf } from '../../index/languages.ts';
import { bodyOf, type RewriteHow, rewriteLines } from '../../../tools/body-rewrite.ts';
import type { ToolContext } from '../../../tools/tool.ts';
import { stubLines } from './stub-guard.ts';

/** An empty struct: its 0-based line, its name, and the line's text up to the braces or `;`. */
export interface EmptyStruct {
  at: number;
  name: string;
  head: string;
}

const rustEmpty = /^(\s*(?:pub(?:\([\w:\s]+\))?\s+)?struct\s+(\w+)(?:<[^>{}]*>)?)\s*(?:\{\s*\}|;)\s*(?:\/\/.*)?$/;
const goEmpty = /^(\s*type\s+(\w+)\s+struct)\s*\{\s*\}\s*(?:\/\/.*)?$/;

/**
 * The empty structs of `text` (a Rust or Go file) that have methods in it; not a unit struct
 * (`struct Parser;`) that this file or one of `others` (the tests) uses as a value (`let p =
 * Parser;`): that one is meant to hold nothing.
 */
export function emptyStructs(path: string, text: string, others: readonly string[] = []): EmptyStruct[] {
  const language = languageOf(path);
  const pattern = language === 'rust' ? rustEmpty : language === 'go' ? goEmpty : undefined;
  if (!pattern) return [];
  const out: EmptyStruct[] = [];
  text.split('\n').forEach((line, at) => {
    const m = pattern.exec(line);
    if (!m) return;
    const name = m[2];
    const asValue = new RegExp(`(?:[=(,]|\\breturn)\\s*${name}\\s*[;),}]`);
    if (line.trimEnd().endsWith(';') && [text, ...others].some((t) => asValue.test(t))) return;
    const methods =
      language === 'rust'
        ? new RegExp(`^\\s*impl(?:<[^>]*>)?\\s+(?:[\\w:<>]+\\s+for\\s+)?${name}\\b`, 'm')
        : new RegExp(`^func\\s*\\(\\s*\\w*\\s*\\*?${name}\\s*\\)`, 'm');
    if (methods.test(text)) out.push({ at, name, head: m[1] });
  });
  return out;
}

/** A line the model wrote in a struct: a field (`pub code: String,`, `code string`, `a, b int`), a comment or blank. */
const fieldLine = {
  rust: /^\s*(?:(?:pub(?:\([\w:\s]+\))?\s+)?\w+\s*:\s*[^;{}]+?,?|\/\/.*)?\s*$/,
  go: /^\s*(?:\w+(?:\s*,\s*\w+)*\s+[^\s;{}][^;{}]*|\/\/.*)?\s*$/,
};

/**
 * `text` with the fields of `struct` written by code completion (greedy), the struct opened over
 * lines: the new text, and the 0-based line and count of the lines added. Undefined when the model
 * writes no field, or lines that are not fields.
 */
export async function withFields(
  ctx: ToolContext,
  path: string,
  text: string,
  struct: EmptyStruct,
  how: Pick<RewriteHow, 'timeoutMs'> = {},
): Promise<{ text: string; at: number; added: number; fields: string } | undefined> {
  const language = languageOf(path) === 'go' ? 'go' : 'rust';
  const lines = text.split('\n');
  const indent = /^\s*/.exec(lines[struct.at])![0];
  const inner = language === 'go' ? `${indent}\t` : `${indent}    `;
  const opened = [...lines.slice(0, struct.at), `${struct.head} {`, inner, `${indent}}`, ...lines.slice(struct.at + 1)].join('\n');
  const written = await rewriteLines(ctx, path, opened, struct.at + 2, struct.at + 2, { ...how, maxTokens: 160, stops: [`\n${indent}}`] });
  if (!written) return undefined;
  const fields = bodyOf(written.after, indent)
    .split('\n')
    .filter((l, i, all) => l.trim() !== '' || (i > 0 && i < all.length - 1));
  if (!fields.some((l) => l.trim() !== '' && !l.trim().startsWith('//')) || !fields.every((l) => fieldLine[language].test(l))) return undefined;
  // (a Rust field list ends each field with a comma; the model may leave the last one without)
  if (language === 'rust') {
    const last = fields.findLastIndex((l) => l.trim() !== '' && !l.trim().startsWith('//'));
    if (!fields[last].trimEnd().endsWith(',')) fields[last] = `${fields[last].trimEnd()},`;
  }
  const after = [...lines.slice(0, struct.at), `${struct.head} {`, ...fields, `${indent}}`, ...lines.slice(struct.at + 1)].join('\n');
  return { text: after, at: struct.at + 1, added: fields.length + 1, fields: fields.join('\n') };
}

/**
 * A Ruby class that reads its state with `attr_reader`/`attr_accessor` and has no `initialize`: the
 * 0-based line of its last such line, and its indentation. Not a subclass (`class Point < Base`,
 * `< Struct.new(…)`): its parent's `initialize` may be the one it means to use.
 */
export function missingInitialize(path: string, text: string): { name: string; after: number; indent: string } | undefined {
  if (languageOf(path) !== 'ruby') return undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)class\s+([A-Z]\w*)\s*(?:$|#|;)/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && new RegExp(`^${open[1]}end\\b`).test(l));
    const body = lines.slice(i + 1, end < 0 ? lines.length : end);
    const indent = `${open[1]}  `;
    const attrs = body.flatMap((l, j) => (new RegExp(`^${indent}attr_(?:reader|accessor)\\b`).test(l) ? [i + 1 + j] : []));
    if (attrs.length === 0 || body.some((l) => new RegExp(`^${indent}def\\s+initialize\\b`).test(l))) continue;
    return { name: open[2], after: attrs.at(-1)!, indent };
  }
  return undefined;
}

/**
 * `text` with an `initialize` written by code completion (greedy) after the class's last
 * `attr_reader`: its parameters and body, with the stubbed methods below the gap. Undefined when
 * what comes back is not a parameter list and an indented body that sets instance variables.
 */
export async function withInitialize(
  ctx: ToolContext,
  path: string,
  text: string,
  at: { after: number; indent: string },
  how: Pick<RewriteHow, 'timeoutMs'> = {},
): Promise<{ text: string; at: number; added: number; fields: string } | undefined> {
  if (!ctx.infill) return undefined;
  const lines = text.split('\n');
  const opener = `${at.indent}def initialize(`;
  const prefix = `${lines.slice(0, at.after + 1).join('\n')}\n\n${opener}`;
  const suffix = `\n${at.indent}end\n${lines.slice(at.after + 1).join('\n')}`;
  let middle: string | undefined;
  try {
    middle = await ctx.infill({
      path,
      prefix,
      suffix,
      maxTokens: 200,
      stops: [`\n${at.indent}end`, '```'],
      timeoutMs: how.timeoutMs ?? 60_000,
      temperature: 0,
    });
  } catch {
    return undefined;
  }
  const [params, ...rest] = (middle ?? '').split('\n');
  // (not a line that copies the stubs: ruby-semver's initialize raised "Version.parse is not implemented yet"
  // three times, and the fill it came with was held as leaving the stubs stubs)
  const body = bodyOf(rest.join('\n'), at.indent)
    .split('\n')
    .filter((line) => stubLines(line).length === 0);
  if (!/^[\w\s,:=*&\[\]{}'"-]*\)\s*$/.test(params) || !body.some((l) => /@\w+\s*=/.test(l))) return undefined;
  const written = [`${opener}${params.trimEnd()}`, ...body, `${at.indent}end`];
  const after = [...lines.slice(0, at.after + 1), '', ...written, ...lines.slice(at.after + 1)].join('\n');
  return { text: after, at: at.after + 1, added: written.length + 1, fields: written.join('\n') };
}

/**
 * `text` (a stub file) with the state its stubbed methods share given a home by code completion:
 * the fields of up to two empty structs, then a Ruby class's missing `initialize`. Also the lines
 * added (0-based `at`, how many, in the order added) and each change as an edit the model reads.
 */
export async function withStateHome(
  ctx: ToolContext,
  path: string,
  text: string,
  tests: readonly string[],
  how: { timeUp: () => boolean; timeoutMs: () => number; log?: (message: string, detail: Record<string, unknown>) => void },
): Promise<{ text: string; inserted: Array<{ at: number; added: number }>; edits: Array<{ before: string; after: string; what: string }> }> {
  const inserted: Array<{ at: number; added: number }> = [];
  const edits: Array<{ before: string; after: string; what: string }> = [];
  for (let struct = emptyStructs(path, text, tests)[0]; struct && edits.length < 2 && !how.timeUp(); ) {
    const filled = await withFields(ctx, path, text, struct, { timeoutMs: how.timeoutMs() });
    how.log?.(
      filled
        ? `Code completion wrote the fields of ${struct.name} in ${path}, which its stubbed methods share.`
        : `Code completion wrote no fields for ${struct.name} in ${path}.`,
      { body: filled?.fields ?? '' },
    );
    if (!filled) break;
    edits.push({
      before: text.split('\n')[struct.at],
      after: filled.text
        .split('\n')
        .slice(struct.at, filled.at + filled.added)
        .join('\n'),
      what: `the fields of ${struct.name}`,
    });
    text = filled.text;
    inserted.push({ at: filled.at, added: filled.added });
    struct = emptyStructs(path, text, tests)[0];
  }
  const init = missingInitialize(path, text);
  if (init && !how.timeUp()) {
    const filled = await withInitialize(ctx, path, text, init, { timeoutMs: how.timeoutMs() });
    how.log?.(
      filled
        ? `Code completion wrote ${init.name}#initialize in ${path}, which its stubbed methods need to make one.`
        : `Code completion wrote no initialize for ${init.name} in ${path}.`,
      { body: filled?.fields ?? '' },
    );
    if (filled) {
      const attr = text.split('\n')[init.after];
      edits.push({ before: attr, after: `${attr}\n\n${filled.fields}`, what: `${init.name}#initialize` });
      text = filled.text;
      inserted.push({ at: filled.at, added: filled.added });
    }
  }
  return { text, inserted, edits };
}
