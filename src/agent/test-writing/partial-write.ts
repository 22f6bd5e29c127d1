/**
 * What is complete of a new test file whose writing was stopped. Asked for tests of a CSV export,
 * the 1.5B model wrote test after test into tests/test_export.py until the token limit cut it off,
 * 207 s into the task, and the whole write was dropped (pyapp-test-export); other steps stop for a
 * line written over and over inside the last test. The tests written before the one it was in the
 * middle of are whole: a developer would keep them, run them, and add the rest. assist keeps the
 * file up to its last complete top-level block, when that parses and holds tests, and applies it as
 * the model's step (approval as for any change), saying that the rest was cut.
 */
import { fenceMarker } from '../../model/action-text.ts';
import { closedBlocks } from './cut-blocks.ts';

/** A write of a new file, as much of it as was complete. */
export interface PartialWrite {
  tool: string;
  thought: string;
  path: string;
  content: string;
}

/** A line that starts a new top-level block (not one that closes the block above: `}`, `})`, `end`). */
const blockStart = /^(?![\s}\])]|end\b|else\b|elif\b|except\b|finally\b|rescue\b|ensure\b|catch\b|#|\/\/|\*)\S/;

/** How many lines in a row that begin alike (the loop a step was stopped for) are kept: the first of them. */
const similarRun = 3;

/**
 * `lines` without the last one when it was cut mid-way, and without the run of lines at the end that
 * begin alike (`assert slugify("Hello, World, World…` twelve times): the first of them stays.
 */
function withoutLoop(lines: readonly string[], endsWithNewline: boolean): string[] {
  const out = endsWithNewline ? [...lines] : lines.slice(0, -1);
  while (out.length > 0 && out.at(-1)!.trim() === '') out.pop();
  const head = (line: string) => line.trim().slice(0, 24);
  let run = 1;
  while (run < out.length && head(out[out.length - 1 - run]) === head(out.at(-1)!)) run++;
  return run >= similarRun ? out.slice(0, out.length - run + 1) : out;
}

/**
 * The candidates for the complete part of a write that `partial` (the text-protocol action as far
 * as it was written: header line, opening fence, code) began, best first: when it was stopped for a
 * loop (`looped`), everything up to the last whole line with the looping line once, the blocks it
 * was in closed (cut-blocks.ts); then everything up to the top-level block it was
 * in the middle of. None when it
 * is not a write with a block argument (`blockTools`: tool name → that argument). The caller keeps
 * the first that parses and holds tests.
 */
export function completeParts(partial: string, blockTools: ReadonlyMap<string, string>, looped: boolean): PartialWrite[] {
  const first = completePart(partial, blockTools);
  // (cut off at the token limit, the block it was in may be only begun: `def test_empty():` and a first line)
  if (!first || !looped) return first ? [first] : [];
  const code = partial.slice(partial.indexOf('\n') + 1);
  const lines = code.slice(code.indexOf('\n') + 1).split('\n');
  // (the blocks it was in closed where a language needs it: a Ruby test's `end`s, cut-blocks.ts)
  const whole = closedBlocks(first.path, `${withoutLoop(lines, partial.endsWith('\n')).join('\n')}\n`);
  return whole.trim() && whole !== first.content ? [{ ...first, content: whole }, first] : [first];
}

/**
 * The path and the complete top-level blocks of a write that `partial` (the text-protocol action
 * as far as it was written: header line, opening fence, code) began; undefined when it is not a
 * write with a block argument (`blockTools`: tool name → that argument), or nothing is complete.
 */
export function completePart(partial: string, blockTools: ReadonlyMap<string, string>): PartialWrite | undefined {
  const newline = partial.indexOf('\n');
  if (newline < 0) return undefined;
  let header: { thought?: unknown; tool?: unknown; args?: { path?: unknown } };
  try {
    header = JSON.parse(partial.slice(0, newline));
  } catch {
    return undefined;
  }
  if (typeof header.tool !== 'string' || !blockTools.has(header.tool) || typeof header.args?.path !== 'string') return undefined;
  const rest = partial.slice(newline + 1);
  if (!rest.startsWith(fenceMarker)) return undefined;
  const lines = rest.slice(rest.indexOf('\n') + 1).split('\n');
  // the last line that starts a block begins the one that was cut: everything above it is complete
  let cut = -1;
  for (let i = lines.length - 1; i > 0; i--) {
    if (blockStart.test(lines[i])) {
      cut = i;
      break;
    }
  }
  if (cut <= 0) return undefined;
  const content = `${lines.slice(0, cut).join('\n').replace(/\s+$/, '')}\n`;
  return { tool: header.tool, thought: typeof header.thought === 'string' ? header.thought : '', path: header.args.path, content };
}
