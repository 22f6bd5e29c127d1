/**
 * `npm run bench -- doubts [--model PATH] [--functions N]`: the line repair's read of a function
 * (src/model/token-doubts.ts: the strongest 8 doubts, each line written on from the model's token)
 * against the raw engine reading the same tokens once, in the same run, on the same sequence.
 *
 * The functions are the first N (default 4) of 8-40 lines in the code files of the eval's Python
 * codebase (test/eval/codebases/tally), each read as the repair reads it: the other files of its
 * folder before it (up to 2,000 tokens: the agent puts the files seen there, up to 3,072 with the
 * request), its file up to the body, then the body. Three timings a function: `raw` (the tokens
 * evaluated once, the anchor), `cold` (the read from an empty sequence) and `again` (the read once
 * more with its strongest doubt's line changed, as the repair reads a function after a line that
 * passed). Medians over the functions.
 * Last line: {"bench":"doubts","model":…,"functions":N,"rawMs":R,"coldMs":C,"againMs":A,"coldVsRaw":C/R,"againVsRaw":A/R,"promptTokens":P}
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama } from 'node-llama-cpp';
import { defaults } from '../src/config/schema.ts';
import { openIndex } from '../src/index/open-index.ts';
import { coreCount } from '../src/model/embedded.ts';
import { infillHead } from '../src/model/infill.ts';
import { findDoubts } from '../src/model/token-doubts.ts';
import { bodyGap } from '../tools/body-rewrite.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundled = path.join(repo, 'test', 'eval', 'codebases', 'tally');

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export default async function doubtsBench(args: string[]): Promise<void> {
  const wanted = Math.max(1, Number(option(args, '--functions') ?? 4));
  const given = option(args, '--model');
  const modelPath = given
    ? path.resolve(given)
    : await ((await import('../test/e2e/real-model.ts')) as { ensureRealModel(name?: string): Promise<string> }).ensureRealModel('qwen2.5-coder-1.5b');
  const llama = await getLlama({ gpu: false });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 8192, threads: coreCount(), sequences: 1 });
  const sequence = context.getSequence();
  // (a copy: the index keeps its cache in the project)
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-bench-doubts-'));
  const project = path.join(work, 'tally');
  await fs.cp(bundled, project, { recursive: true });
  const index = openIndex(project, defaults, { threads: 1 });
  await index.update();
  const codeFiles = index
    .files()
    .filter((file) => file.endsWith('.py') && !/(^|\/)tests?\//.test(file))
    .sort();
  const rows: Array<{ name: string; raw: number; cold: number; again: number; tokens: number }> = [];
  console.log(`doubts bench: ${path.basename(modelPath)}, ${coreCount()} threads, project tally`);
  try {
    for (const file of codeFiles) {
      if (rows.length >= wanted) break;
      const text = await fs.readFile(path.join(project, file), 'utf8');
      const lines = text.split('\n');
      for (const def of (index.outline(file) ?? []).filter((d) => d.kind === 'function' || d.kind === 'method')) {
        if (rows.length >= wanted) break;
        const length = def.endLine - def.line + 1;
        if (length < 8 || length > 40) continue;
        const gap = bodyGap(file, lines, def, {});
        if (!gap) continue;
        // the other files of its folder, as the files seen before it
        const files: Array<{ path: string; text: string }> = [];
        let used = 0;
        for (const other of codeFiles.filter((f) => f !== file && path.dirname(f) === path.dirname(file))) {
          const otherText = await fs.readFile(path.join(project, other), 'utf8');
          const cost = model.tokenize(otherText).length;
          if (used + cost > 2000) continue;
          used += cost;
          files.push({ path: other, text: otherText });
        }
        const body = lines.slice(gap.start, gap.end + 1);
        const request = { path: file, prefix: gap.prefix, lines: body, files, maxDoubts: 8 };
        const tokens = [...infillHead(model, request), model.tokens.infill.prefix!, ...model.tokenize(gap.prefix), ...model.tokenize(`${body.join('\n')}\n`)];
        await sequence.clearHistory();
        let started = performance.now();
        await sequence.evaluateWithoutGeneratingNewTokens(tokens);
        const raw = performance.now() - started;
        await sequence.clearHistory();
        started = performance.now();
        const doubts = (await findDoubts(model, sequence, request)) ?? [];
        const cold = performance.now() - started;
        const first = doubts.find((d) => d.continued ?? d.substituted);
        const changed = first ? body.map((line, i) => (i === first.line ? (first.continued ?? first.substituted ?? line).split('\n')[0] : line)) : body;
        started = performance.now();
        await findDoubts(model, sequence, { ...request, lines: changed });
        const again = performance.now() - started;
        rows.push({ name: `${file}:${def.name}`, raw, cold, again, tokens: tokens.length });
        console.log(
          `${file} ${def.name} (${length} lines, ${tokens.length} tokens): raw ${Math.round(raw)} ms · cold ${Math.round(cold)} ms · again ${Math.round(again)} ms`,
        );
      }
    }
  } finally {
    await context.dispose();
    await model.dispose();
    await fs.rm(work, { recursive: true, force: true });
  }
  if (rows.length === 0) throw new Error(`no function of 8-40 lines found in ${bundled}`);
  const rawMs = median(rows.map((r) => r.raw));
  const coldMs = median(rows.map((r) => r.cold));
  const againMs = median(rows.map((r) => r.again));
  console.log(
    JSON.stringify({
      bench: 'doubts',
      model: path.basename(modelPath),
      functions: rows.length,
      rawMs: Math.round(rawMs),
      coldMs: Math.round(coldMs),
      againMs: Math.round(againMs),
      coldVsRaw: Math.round((coldMs / rawMs) * 100) / 100,
      againVsRaw: Math.round((againMs / rawMs) * 100) / 100,
      promptTokens: median(rows.map((r) => r.tokens)),
    }),
  );
}
