/**
 * The action grammar: node-llama-cpp's GBNF for the action schema, hardened where its JSON number
 * rules let a model write values JavaScript cannot hold (an integer such as `7e98236` parses as
 * Infinity and `12e-5` is not an integer), and validated after generation with ajv against the
 * same schema. The text is also what `grammars/actions.gbnf` snapshots.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { GbnfJsonSchema, Llama, LlamaGrammar } from 'node-llama-cpp';
import { actionFault, checkActionShape, validateAction } from './action-shape.ts';
import { ModelError, type Action } from './language-model.ts';

const EXPONENT = '([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?';

/**
 * Integers get no exponent and at most 15 digits (always safe integers); other numbers keep an
 * exponent of at most two digits.
 */
export function hardenJsonGrammar(gbnf: string): string {
  return gbnf
    .split('\n')
    .map((line) => {
      if (!line.startsWith('integer-number-rule ::=')) return line.replaceAll(EXPONENT, '([eE] [-+]? [0-9]{1,2})?');
      return line.replaceAll(` ${EXPONENT}`, '').replaceAll(EXPONENT, '').replaceAll('[1-9] [0-9]{0,15}', '[1-9] [0-9]{0,14}');
    })
    .join('\n');
}

/**
 * Splits a GBNF rule body into its top-level elements (a quoted literal, a character class, a
 * parenthesized group or a rule name, each with its repetition suffix). Null when the body has a
 * top-level alternation or anything this scanner does not know: callers then leave it alone.
 */
export function gbnfElements(body: string): string[] | null {
  const elements: string[] = [];
  let i = 0;
  const closeOf = (open: string) => (open === '"' ? '"' : ']');
  /** Index just past the literal or class that starts at `at`. */
  const skipQuoted = (at: number): number => {
    const close = closeOf(body[at]);
    let j = at + 1;
    while (j < body.length && body[j] !== close) j += body[j] === '\\' ? 2 : 1;
    return j < body.length ? j + 1 : -1;
  };
  while (i < body.length) {
    if (body[i] === ' ') {
      i++;
      continue;
    }
    const start = i;
    const c = body[i];
    if (c === '"' || c === '[') {
      i = skipQuoted(i);
    } else if (c === '(') {
      let depth = 0;
      while (i < body.length) {
        const ch = body[i];
        if (ch === '"' || ch === '[') {
          i = skipQuoted(i);
          if (i < 0) return null;
          continue;
        }
        if (ch === '(') depth++;
        if (ch === ')' && --depth === 0) break;
        i++;
      }
      i = i < body.length ? i + 1 : -1;
    } else if (/[a-zA-Z0-9_-]/.test(c)) {
      while (i < body.length && /[a-zA-Z0-9_-]/.test(body[i])) i++;
    } else return null; // a top-level `|`, a comment, or syntax this scanner does not handle
    if (i < 0) return null;
    if (body[i] === '?' || body[i] === '*' || body[i] === '+') i++;
    else if (body[i] === '{') {
      const end = body.indexOf('}', i);
      if (end < 0) return null;
      i = end + 1;
    }
    elements.push(body.slice(start, i));
  }
  return elements;
}

/**
 * Left-factors the root alternation of an action grammar. node-llama-cpp writes a `oneOf` of
 * objects as `root ::= ( rule2 | rule6 | ... ) suffix`, each alternative spelling the same
 * `{"thought": ..., "tool": ` prefix, so while the model writes its thought llama.cpp carries one
 * parse stack per tool and checks every candidate token against all of them. Rewritten as
 * `root ::= prefix ( rest2 | rest6 | ... ) common-end suffix`, the language is exactly the same
 * (concatenation distributes over alternation), so every step allows exactly the same tokens,
 * but the shared part is parsed once. Grammars of any other shape are returned unchanged.
 */
export function factorRootAlternatives(gbnf: string): string {
  const lines = gbnf.split('\n');
  const rules = new Map<string, number>();
  lines.forEach((line, index) => {
    const match = /^([a-zA-Z0-9_-]+) ::= /.exec(line);
    if (match) rules.set(match[1], index);
  });
  const rootIndex = rules.get('root');
  if (rootIndex === undefined) return gbnf;
  const root = /^root ::= \( ([a-zA-Z0-9_-]+(?: \| [a-zA-Z0-9_-]+)+) \)(.*)$/.exec(lines[rootIndex]);
  if (!root) return gbnf;
  const names = root[1].split(' | ');
  const bodies: string[][] = [];
  for (const name of names) {
    const index = rules.get(name);
    const elements = index === undefined ? null : gbnfElements(lines[index].slice(`${name} ::= `.length));
    if (!elements || elements.length === 0) return gbnf;
    bodies.push(elements);
  }
  const shortest = Math.min(...bodies.map((b) => b.length));
  let prefix = 0;
  while (prefix < shortest && bodies.every((b) => b[prefix] === bodies[0][prefix])) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && bodies.every((b) => b[b.length - 1 - suffix] === bodies[0][bodies[0].length - 1 - suffix])) suffix++;
  // Every alternative must keep a non-empty middle: an empty one would need `( ... )?` semantics.
  if (prefix === 0 || bodies.some((b) => b.length - prefix - suffix === 0)) return gbnf;
  const middles = bodies.map((b) => b.slice(prefix, b.length - suffix).join(' '));
  const head = bodies[0].slice(0, prefix).join(' ');
  const tail = bodies[0].slice(bodies[0].length - suffix).join(' ');
  // The alternatives' own rules go unless something else still names them (keeping one is harmless).
  const mentioned = (name: string, index: number) => new RegExp(`(?<![\\w-])${name}(?![\\w-])`).test(lines[index].slice(lines[index].indexOf('::=')));
  const drop = new Set(
    names.map((name) => rules.get(name)!).filter((own, i) => !lines.some((_, index) => index !== own && index !== rootIndex && mentioned(names[i], index))),
  );
  const factored = `root ::= ${head} ( ${middles.join(' | ')} )${tail ? ` ${tail}` : ''}${root[2]}`;
  return lines
    .map((line, index) => (index === rootIndex ? factored : line))
    .filter((_, index) => !drop.has(index))
    .join('\n');
}

const JSON_END = ' "\\n\\n\\n\\n" [\\n]*';

/**
 * Ends the root at the JSON value's last character. node-llama-cpp's JSON grammars end with four
 * required newlines (its stop trigger), so after the closing `}` a model that wants to end its turn
 * is refused its end token until it has written them, and each refusal makes llama.cpp check the
 * grammar against the whole vocabulary. Ending at `}` lets the grammar allow the end-of-turn token
 * right there (llama.cpp allows end tokens once the root is complete); the JSON text is the same.
 */
export function endAtValue(gbnf: string): string {
  return gbnf
    .split('\n')
    .map((line) => (line.startsWith('root ::= ') && line.endsWith(JSON_END) ? line.slice(0, -JSON_END.length) : line))
    .join('\n');
}

/** The GBNF text used for `schema`: node-llama-cpp's, hardened, left-factored, ending at the value. */
export function actionGbnfText(nodeLlamaCppGbnf: string): string {
  return endAtValue(factorRootAlternatives(hardenJsonGrammar(nodeLlamaCppGbnf)));
}

/** The GBNF text used for `schema` (node-llama-cpp's, hardened and left-factored). */
export async function actionGbnf(llama: Llama, schema: GbnfJsonSchema): Promise<string> {
  const create = (llama as unknown as { createGrammarForJsonSchema(s: unknown): Promise<LlamaGrammar> }).createGrammarForJsonSchema;
  const base = await create.call(llama, schema);
  return actionGbnfText(base.grammar);
}

/** A compiled action grammar and the validator of its schema. */
export interface ActionGrammar {
  grammar: LlamaGrammar;
  validate: ValidateFunction;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });

/** A validator for an action schema (JSON schema semantics). */
export function compileActionValidator(schema: GbnfJsonSchema): ValidateFunction {
  return ajv.compile(schema as object);
}

/** Compiles the grammar for `schema` on `llama`. */
export async function createActionGrammar(llama: Llama, schema: GbnfJsonSchema): Promise<ActionGrammar> {
  const create = (llama as unknown as { createGrammarForJsonSchema(s: unknown): Promise<LlamaGrammar> }).createGrammarForJsonSchema;
  const base = await create.call(llama, schema);
  const grammar = await llama.createGrammar({
    grammar: actionGbnfText(base.grammar),
    stopGenerationTriggers: base.stopGenerationTriggers,
    trimWhitespaceSuffix: base.trimWhitespaceSuffix,
  });
  return { grammar, validate: compileActionValidator(schema) };
}

/** Parses generated text and validates it against the schema; ModelError('invalid_output') if not. */
export function parseActionText(validate: ValidateFunction, raw: string): Action {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ModelError('invalid_output', `The model's output is not JSON: ${raw.slice(0, 200)}`, { cause: error });
  }
  if (!validateAction(validate, value)) {
    const e = actionFault(validate, value);
    throw new ModelError(
      'invalid_output',
      `The model's action does not match the schema at ${e?.instancePath || '(top)'}: ${e?.message}. Output: ${raw.slice(0, 200)}`,
    );
  }
  return checkActionShape(value, raw);
}
