/**
 * `npm run bench -- index [--corpus DIR]... [--runs N] [--max-file-bytes N]`: a cold index of a
 * large real tree (best of N runs, default 3) vs `ctags` on the same files, definition recall vs
 * ctags (functions, classes, methods), and a warm update with nothing changed vs `rg --files` x3.
 * Also the tree-sitter parse alone of the same files (CPU, one thread): with it spread perfectly
 * over every core and nothing else done, the cold ratio could not go below parseOnlyRatioFloor.
 * Last line: {"bench":"index","files":F,"coldRatioVsCtags":R,"warmMs":W,"defRecallVsCtags":D,...}
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { defaults } from '../src/config/schema.ts';
import { parseText } from '../src/index/extract-symbols.ts';
import { languageOf } from '../src/index/languages.ts';
import { openIndex } from '../src/index/open-index.ts';

function defaultCorpus(): string[] {
  const dirs = [path.resolve('node_modules/typescript/lib')];
  if (existsSync('/usr/lib')) for (const name of readdirSync('/usr/lib').sort()) if (/^python3\.\d+$/.test(name)) dirs.push(`/usr/lib/${name}`);
  return dirs.filter((d) => existsSync(d));
}

function parseArgs(args: string[]): { corpus: string[]; runs: number; maxFileBytes: number } {
  const corpus: string[] = [];
  let runs = 3;
  let maxFileBytes = defaults.index.maxFileBytes;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--corpus' && args[i + 1]) corpus.push(path.resolve(args[++i]));
    else if (args[i] === '--runs' && args[i + 1]) runs = Math.max(1, Number(args[++i]));
    else if (args[i] === '--max-file-bytes' && args[i + 1]) maxFileBytes = Math.max(1, Number(args[++i]));
    else throw new Error(`unknown argument ${args[i]}; usage: npm run bench -- index [--corpus DIR]... [--runs N] [--max-file-bytes N]`);
  }
  for (const dir of corpus) if (!existsSync(dir)) throw new Error(`--corpus ${dir} does not exist`);
  return { corpus: corpus.length ? corpus : defaultCorpus(), runs, maxFileBytes };
}

/** Best of several runs: the least disturbed by other load on a shared machine. */
function best(values: number[]): number {
  return Math.min(...values);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** CPU ms used so far by this process (all threads) and by its waited-for children (Linux /proc). */
function cpuMs(): { self: number; children: number } {
  const usage = process.cpuUsage();
  let children = 0;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // cutime + cstime, in USER_HZ ticks
  } catch {
    children = Number.NaN;
  }
  return { self: (usage.user + usage.system) / 1000, children };
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** ctags kinds that count for recall: functions, classes, methods (Python methods are "member"). */
const recallKinds = new Set(['function', 'class', 'method', 'member']);

export default async function bench(args: string[]): Promise<void> {
  const { corpus, runs, maxFileBytes } = parseArgs(args);
  const config = { ...defaults, index: { ...defaults.index, maxFileBytes } };
  const root = mkdtempSync(path.join(tmpdir(), 'assist-bench-index-'));
  try {
    console.log(`corpus: ${corpus.join(', ')} (copied to ${root} so the cache can be written)`);
    for (const dir of corpus) cpSync(dir, path.join(root, path.basename(dir)), { recursive: true });
    const cores = availableParallelism();

    let files = 0;
    const coldTimes: number[] = [];
    const coldSingle: number[] = [];
    const coldCpu: number[] = [];
    for (let run = 0; run < runs; run++) {
      for (const threads of [0, 1]) {
        rmSync(path.join(root, '.assist'), { recursive: true, force: true });
        const index = openIndex(root, config, { threads });
        const cpuBefore = cpuMs().self;
        const ms = await timeAsync(async () => {
          files = (await index.update()).files;
        });
        if (threads === 0) coldCpu.push(cpuMs().self - cpuBefore);
        (threads === 0 ? coldTimes : coldSingle).push(ms);
        console.log(`cold index (${threads === 0 ? `${cores} worker threads` : 'calling thread only'}): ${ms.toFixed(0)} ms`);
      }
    }
    rmSync(path.join(root, '.assist'), { recursive: true, force: true });
    const index = openIndex(root, config);
    await index.update();
    const notes = new Map((index.notes?.() ?? []).map((n) => [n.path, n.note]));
    const withParser = index.files().filter((f) => languageOf(f) !== null && !(notes.get(f) ?? '').startsWith('skipped'));
    console.log(
      `${files} files indexed; ${withParser.length} parsed for symbols; ${[...notes.values()].filter((n) => n.startsWith('skipped')).length} skipped ` +
        `with a note`,
    );

    const listFile = path.join(root, '.assist', 'ctags-files.txt');
    writeFileSync(listFile, withParser.join('\n') + '\n');
    const tagsFile = path.join(root, '.assist', 'tags');
    const ctagsTimes: number[] = [];
    const ctagsCpu: number[] = [];
    for (let run = 0; run < runs; run++) {
      const before = cpuMs().children;
      ctagsTimes.push(timeMs(() => execFileSync('ctags', ['-L', listFile, '-f', tagsFile, '--fields=+nK'], { cwd: root, stdio: 'ignore' })));
      ctagsCpu.push(cpuMs().children - before);
    }
    console.log(`ctags on the same ${withParser.length} files: ${best(ctagsTimes).toFixed(0)} ms (runs: ${ctagsTimes.map((t) => t.toFixed(0)).join(', ')})`);

    // the parse alone, on this thread: texts read first, so only tree-sitter's work is timed
    const texts = withParser.map((file) => ({ lang: languageOf(file)!, text: readFileSync(path.join(root, file), 'utf8') }));
    const parseCpu: number[] = [];
    for (let run = 0; run < runs; run++) {
      const before = cpuMs().self;
      for (const { lang, text } of texts) parseText(lang, text);
      parseCpu.push(cpuMs().self - before);
    }
    const parseOnly = best(parseCpu);
    const parseFloor = parseOnly / cores / best(ctagsTimes);
    console.log(
      `tree-sitter parse alone, same files, one thread: ${parseOnly.toFixed(0)} ms CPU (${(parseOnly / best(ctagsCpu)).toFixed(2)} x ctags CPU); ` +
        `spread perfectly over ${cores} cores with nothing else done, the cold ratio could be at best ${parseFloor.toFixed(2)}`,
    );

    const defined = new Set<string>();
    for (const file of withParser) for (const d of index.outline(file) ?? []) defined.add(`${file}\u0000${d.name}\u0000${d.line}`);
    let total = 0;
    let found = 0;
    const misses = new Map<string, number>();
    for (const line of readFileSync(tagsFile, 'utf8').split('\n')) {
      if (!line || line.startsWith('!_')) continue;
      const fields = line.split('\t');
      const [name, file] = fields;
      const kind = fields.find((f, i) => i >= 3 && !f.includes(':'));
      const lineNo = Number(fields.find((f) => f.startsWith('line:'))?.slice(5));
      if (!kind || !recallKinds.has(kind) || !lineNo) continue;
      total++;
      if (defined.has(`${file}\u0000${name}\u0000${lineNo}`)) found++;
      else misses.set(`${kind} in ${path.extname(file)}`, (misses.get(`${kind} in ${path.extname(file)}`) ?? 0) + 1);
    }
    const recall = total ? found / total : 0;
    console.log(`definition recall vs ctags (function/class/method/member, same file, name and line): ${found}/${total} = ${recall.toFixed(4)}`);
    if (misses.size)
      console.log(
        `  misses by kind: ${[...misses]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ')}`,
      );

    const warmOpen: number[] = [];
    const warmFresh: number[] = [];
    for (let run = 0; run < 5; run++) {
      warmOpen.push(await timeAsync(() => index.update()));
      const fresh = openIndex(root, config);
      warmFresh.push(await timeAsync(() => fresh.update()));
    }
    const rgTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      rgTimes.push(
        timeMs(() => {
          const rg = spawnSync('rg', ['--files'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
          if (rg.error) throw new Error(`rg is needed for this bench: ${rg.error.message}`);
        }),
      );
    }
    const rgMs = median(rgTimes);
    const warmMs = median(warmFresh);
    console.log(
      `warm update, nothing changed: ${warmMs.toFixed(1)} ms from a fresh open (reads the manifest), ${median(warmOpen).toFixed(1)} ms on the open index`,
    );
    console.log(`rg --files: ${rgMs.toFixed(1)} ms; x3 = ${(rgMs * 3).toFixed(1)} ms (goal: warm under that)`);

    const cold = best(coldTimes);
    const ctags = best(ctagsTimes);
    const cpuRatio = best(coldCpu) / best(ctagsCpu);
    console.log(
      `cold: ${cold.toFixed(0)} ms with workers, ${best(coldSingle).toFixed(0)} ms on one thread; ctags ${ctags.toFixed(0)} ms; ratio ` +
        `${(cold / ctags).toFixed(2)} (goal <= 2.0)`,
    );
    console.log(
      `CPU time (less sensitive to other load): index ${best(coldCpu).toFixed(0)} ms (all threads), ctags ${best(ctagsCpu).toFixed(0)} ms; ratio ` +
        `${cpuRatio.toFixed(2)}; load average ${loadAverage()} on ${cores} cores`,
    );
    console.log(
      JSON.stringify({
        bench: 'index',
        files,
        coldRatioVsCtags: round(cold / ctags, 2),
        warmMs: round(warmMs),
        defRecallVsCtags: round(recall, 4),
        rgFilesMs: round(rgMs),
        coldMs: Math.round(cold),
        coldSingleThreadMs: Math.round(best(coldSingle)),
        ctagsMs: Math.round(ctags),
        coldCpuRatioVsCtags: round(cpuRatio, 2),
        parseOnlyCpuMs: Math.round(parseOnly),
        parseOnlyRatioFloor: round(parseFloor, 2),
        cores,
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
