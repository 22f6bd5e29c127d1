/**
 * `npm run bench -- syntax [--runs N]`: what the syntax gate adds to one edit, per indexed
 * language, on a typical file (~300 lines) and a large one (~5,000 lines), built by repeating the
 * language's index fixture. `pass`: a change that parses (one parse of the new text, the path of
 * almost every edit); `refuse`: a change that breaks the file (both texts parsed, the errors
 * compared, the message written). Anchor, same run: indexing the same text (parse, tag query,
 * tokens), which the index does again for every file an edit changed. CPU time of this thread,
 * best of N runs. A model step, for scale, takes seconds (test/e2e/REAL_MODEL.md).
 * Last line: {"bench":"syntax","passMs300Max":A,"passMs5000Max":B,"refuseMs5000Max":C,"passRatioVsIndexMax":R,...}
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { languageIds, type LanguageId } from '../src/index/languages.ts';
import { extractSymbols } from '../src/index/extract-symbols.ts';
import { checkSyntax } from '../src/index/syntax-check.ts';
import { syntaxGate } from '../tools/change-flow.ts';

const fixtures = path.resolve('test/fixtures/index');

function parseArgs(args: string[]): { runs: number } {
  let runs = 5;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs' && args[i + 1]) runs = Math.max(1, Number(args[++i]));
    else throw new Error(`unknown argument ${args[i]}; usage: npm run bench -- syntax [--runs N]`);
  }
  return { runs };
}

/** The language's fixture repeated to at least `lines` lines (a PHP file opens its tag once). */
function sourceOf(id: LanguageId, lines: number): { file: string; text: string } {
  const dir = path.join(fixtures, id, 'input');
  const file = readdirSync(dir).sort()[0];
  const unit = readFileSync(path.join(dir, file), 'utf8');
  const repeated = id === 'php' ? unit.replace(/^<\?php\n/, '') : unit;
  let text = unit;
  while (text.split('\n').length - 1 < lines) text += `\n${repeated}`;
  return { file, text };
}

/** CPU milliseconds of this thread for one call of `fn`, best of `runs`. */
function cpuMs(fn: () => void, runs: number): number {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export default async function bench(args: string[]): Promise<void> {
  const { runs } = parseArgs(args);
  const rows: Array<{ id: LanguageId; size: number; lines: number; kb: number; pass: number; refuse: number; index: number }> = [];
  console.log('language    lines     KB   pass ms  refuse ms  index ms (anchor)');
  for (const size of [300, 5000]) {
    for (const id of languageIds) {
      const { file, text: before } = sourceOf(id, size);
      const middle = before.indexOf('\n', Math.floor(before.length / 2)) + 1;
      const valid = `${before.slice(0, middle)}${before.slice(middle)}`;
      const broken = `${before.slice(0, middle)}(\n${before.slice(middle)}`;
      if (checkSyntax(file, valid, { maxBytes: Infinity })?.count !== 0) throw new Error(`${id}: the repeated fixture does not parse`);
      if (!syntaxGate([{ path: file, before, after: broken, diff: '' }], Infinity)) throw new Error(`${id}: the broken text was not refused`);
      checkSyntax(file, valid); // grammar loaded, parser made: what every edit after the first finds
      const pass = cpuMs(() => syntaxGate([{ path: file, before, after: valid, diff: '' }], Infinity), runs);
      const refuse = cpuMs(() => syntaxGate([{ path: file, before, after: broken, diff: '' }], Infinity), runs);
      const index = cpuMs(() => extractSymbols(id, valid), runs);
      const lines = before.split('\n').length - 1;
      rows.push({ id, size, lines, kb: before.length / 1024, pass, refuse, index });
      console.log(
        `${id.padEnd(10)} ${String(lines).padStart(6)} ${(before.length / 1024).toFixed(0).padStart(6)} ${pass.toFixed(1).padStart(9)} ` +
          `${refuse.toFixed(1).padStart(10)} ${index.toFixed(1).padStart(9)}`,
      );
    }
  }
  const of = (size: number) => rows.filter((r) => r.size === size);
  const max = (values: number[]) => round(Math.max(...values));
  console.log(
    JSON.stringify({
      bench: 'syntax',
      languages: languageIds.length,
      runs,
      passMs300Max: max(of(300).map((r) => r.pass)),
      refuseMs300Max: max(of(300).map((r) => r.refuse)),
      passMs5000Max: max(of(5000).map((r) => r.pass)),
      refuseMs5000Max: max(of(5000).map((r) => r.refuse)),
      passRatioVsIndexMax: round(Math.max(...rows.map((r) => r.pass / r.index)), 2),
      refuseRatioVsIndexMax: round(Math.max(...rows.map((r) => r.refuse / r.index)), 2),
      slowest5000: of(5000).sort((a, b) => b.refuse - a.refuse)[0].id,
    }),
  );
}
