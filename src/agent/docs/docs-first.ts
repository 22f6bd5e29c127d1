/**
 * The documents a request asks for, written before the model's first step: the doc comments of the
 * files the intake read (doc-fill.ts), or a section of a Markdown document from the code it names
 * (section-fill.ts, with the rows a table of settings left out: table-rows.ts, and the names it gives
 * looked up: doc-facts.ts). See first-try-host.ts.
 */
import { toolForRole, type ToolResult } from '../../../tools/tool.ts';
import { proposeAndApply } from '../../../tools/change-flow.ts';
import { readText } from '../../../tools/body-rewrite.ts';
import { markdownPath } from '../../../tools/markdown-sections.ts';
import type { Action } from '../../model/language-model.ts';
import type { FileChange } from '../../workspace/approval.ts';
import { applyThenTest, type FirstLook, type FirstTryHost } from '../first-try-host.ts';
import { executeTool } from '../tool-call.ts';
import { indexedFiles } from '../intake/intake.ts';
import { importedFiles } from '../intake/imported-files.ts';
import { filesNamedIn } from '../intake/task-files.ts';
import { docGaps, fillDocComments } from './doc-fill.ts';
import { checkedTableNames, projectLines } from './doc-facts.ts';
import { fillSection, sectionAsked } from './section-fill.ts';
import { type KeyPaths, objectKeyPaths } from './table-rows.ts';

/**
 * Doc comments are written by code completion for at most this long before the model's first step
 * (pyapp-docstrings-billing, eleven definitions and the module docstring, on two cores: the first
 * gap ~22 s, the file read once, then 6-15 s each; ten and the module took 140 s).
 */
const docsForMs = 180_000;

/** Time for a section of a document written by code completion (its files read first, up to 6,144 tokens, then up to 700 written; the eval's took 49-62 s a turn). */
const sectionForMs = 200_000;

/** Files a section names that are read before it is written, at most. */
const maxSectionReads = 3;

/**
 * Doc comments for the public definitions of the code files the intake read, written by code
 * completion (doc-fill.ts) and proposed as one change, then the tests; undefined when nothing was
 * written or it was not applied. `complete`: every missing doc comment was written.
 */
export async function docsFirst(
  host: FirstTryHost,
  files: string[],
  tests: { command: string } | undefined,
  signal: AbortSignal,
): Promise<(FirstLook & { complete: boolean }) | undefined> {
  const edit = toolForRole(host.offered, 'editFile')?.tool.name;
  const index = host.index();
  if (!index || !host.options.model.infill || !host.options.config.agent.infillRepair || !edit) return undefined;
  const ctx = host.toolContext(signal);
  const deadline = Date.now() + docsForMs;
  const changes: FileChange[] = [];
  const documented: string[] = [];
  let complete = true;
  for (const file of files) {
    let text: string;
    try {
      text = await host.options.workspace.readText(file);
    } catch {
      continue;
    }
    const gaps = docGaps(file, text, index.outline(file) ?? []);
    if (gaps.length === 0) continue;
    const filled = await fillDocComments(ctx, file, text, gaps, deadline);
    if (!filled) {
      complete = false;
      continue;
    }
    if (filled.documented.length < gaps.length) complete = false;
    changes.push(await host.options.workspace.proposeChange(file, filled.text));
    documented.push(...filled.documented.map((name) => `${name} (${file})`));
  }
  if (changes.length === 0) return undefined;
  const paths = changes.map((c) => c.path);
  const action: Action = {
    thought: `I write the missing doc comments of ${paths.join(', ')} by code completion, from the code they document.`,
    tool: edit,
    args: { path: paths[0], edits: [] },
  };
  const summary = `Doc comments written by code completion for ${documented.length} definition${documented.length === 1 ? '' : 's'}: ${documented.join(', ')}.`;
  const result = await applyThenTest(host, ctx, changes, summary, tests);
  return result ? { action, result, summary, complete } : undefined;
}

/**
 * The section of a Markdown document the turn asks for (section-fill.ts), written by code
 * completion after the files that section names are read (roombook's Configuration section names
 * src/config/defaults.ts), then proposed and applied; undefined when none is asked for or nothing
 * was written. `reads`: those reads, to show as looks.
 */
export async function sectionFirst(
  host: FirstTryHost,
  task: string,
  signal: AbortSignal,
): Promise<{ reads: Array<{ action: Action; result: ToolResult }>; look?: FirstLook } | undefined> {
  const edit = toolForRole(host.offered, 'editFile')?.tool.name;
  const reader = toolForRole(host.offered, 'readFile');
  if (!host.options.model.infill || !host.options.config.agent.infillRepair || !edit) return undefined;
  const ctx = host.toolContext(signal);
  const index = host.index();
  for (const path of filesNamedIn(task).filter((file) => markdownPath.test(file))) {
    let text: string;
    try {
      text = await host.options.workspace.readText(path);
    } catch {
      continue;
    }
    const ask = sectionAsked(task, path, text);
    if (!ask) continue;
    const reads: Array<{ action: Action; result: ToolResult }> = [];
    // the files the section names, then what they import from the project (defaults.ts's `Config`
    // type lists every setting: imported-files.ts)
    const named = ask.named.filter((f) => host.inProject(f));
    const imported: string[] = [];
    for (const file of named) {
      const code = await readText(ctx, file);
      if (code !== undefined && index) imported.push(...importedFiles(file, code, indexedFiles(index), index));
    }
    const why = (file: string) => (named.includes(file) ? `which the ${ask.heading} section of ${path} names` : `which the code that section names imports`);
    const toRead = [...new Set([...named, ...imported])].filter((f) => !host.seen.has(f) && host.inProject(f)).slice(0, maxSectionReads);
    // what the section names read last, nearest the gap (with types.ts read after defaults.ts, the
    // 1.5B model wrote `host`, `db`, `open` for server.host, database.path, bookings.openingHour)
    for (const file of [...toRead.filter((f) => !named.includes(f)), ...toRead.filter((f) => named.includes(f))]) {
      if (!reader || signal.aborted) break;
      const args = reader.call(file);
      const result = await executeTool(reader.tool, args, ctx);
      if (result.error) continue;
      // (seen now: the completion reads it before the section)
      host.seen.note(result);
      reads.push({ action: { thought: `I read ${file}, ${why(file)}.`, tool: reader.tool.name, args }, result });
    }
    // (those seen before too)
    for (const file of named) host.seen.again(file);
    const find = projectLines(host.options.root, path, signal);
    // (the objects of the code read, whose settings a table of them is to list: table-rows.ts)
    const objects: KeyPaths[] = [];
    for (const file of host.seen.list().filter((f) => f !== path)) {
      const code = await readText(ctx, file);
      if (code !== undefined) objects.push(...objectKeyPaths(file, code));
    }
    const filled = await fillSection(ctx, ask, task, text, sectionForMs, { check: (lines) => checkedTableNames(lines, find), objects });
    if (filled.rows) host.notice(`Rows the written ${ask.heading} left out, written by code completion: ${filled.rows.join(', ')}.`, { rows: filled.rows });
    if (filled.fixed)
      host.notice(`Names the written ${ask.heading} gave that the project does not have: ${filled.fixed.map((f) => `${f.from} → ${f.to}`).join(', ')}.`, {
        fixed: filled.fixed,
      });
    if (filled.text === undefined) {
      host.notice(`Code completion wrote nothing to keep for ${ask.heading} in ${path}; the model goes on.`, { written: filled.written.join('\n') });
      return { reads };
    }
    const after = filled.text;
    const applied = await proposeAndApply(ctx, async () => [await host.options.workspace.proposeChange(path, after)]);
    const where = ask.exists ? `the end of its ${ask.heading} section` : `a new section, ${ask.heading}`;
    const summary = `Written by code completion in ${path}: ${where}, from the code read (${
      host.seen
        .list()
        .filter((f) => f !== path)
        .join(', ') || 'none'
    }).`;
    return {
      reads,
      look: {
        action: { thought: `I write ${where} of ${path} by code completion, from the code read.`, tool: edit, args: { path, edits: [] } },
        result: { ...applied, forModel: `${summary}\n${applied.forModel}` },
        summary,
      },
    };
  }
  return undefined;
}
