/**
 * `npm run bench -- search [--corpus DIR] [--runs N]`: search_code against the `rg` command on a
 * real tree (default: node_modules/typescript, copied to a temp dir so no parent .gitignore hides
 * it). Each query runs through search_code with ripgrep available, through the in-process
 * fallback (ripgrep hidden), and as the bare `rg` command (same flags, output read into memory)
 * as the anchor. Result sets must be identical. Last line:
 * {"bench":"search","corpus":...,"files":F,"identical":bool,"medianRatioVsRg":R,"medianRatioVsRgNoRg":R2}
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { walkFiles } from '../src/index/file-walk.ts';
import { formatSearchResults, searchCode, type SearchEngine } from '../src/workspace/code-search.ts';
import { defaultMaxResults } from '../tools/search_code.ts';
import { findRipgrep, ripgrepArgs } from '../src/workspace/ripgrep-search.ts';
import { compileQuery, type SearchOptions } from '../src/workspace/search-query.ts';

interface BenchQuery {
  name: string;
  options: SearchOptions;
}

const plain: SearchOptions = { query: '', regex: false, caseSensitive: true, glob: null, dir: null, contextLines: 0 };
const queries: BenchQuery[] = [
  { name: 'literal', options: { ...plain, query: 'createSourceFile' } },
  { name: 'regex', options: { ...plain, query: 'function\\s+\\w+Node\\(', regex: true } },
  { name: 'case-insensitive', options: { ...plain, query: 'typechecker', caseSensitive: false } },
  { name: 'many hits', options: { ...plain, query: 'return' } },
  { name: 'no hit', options: { ...plain, query: 'zqxjv_no_such_token' } },
  { name: 'regex+context+glob', options: { ...plain, query: 'TODO|FIXME', regex: true, glob: '*.d.ts', contextLines: 2 } },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The bare rg command with the flags search_code uses, its whole output read into memory. */
function runRg(root: string, options: SearchOptions): Promise<{ ms: number; stdout: string }> {
  const q = compileQuery(options);
  const args = ripgrepArgs(options, q.rg!, q.ignoreCase, '');
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('rg', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - start, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Match and context lines of raw rg output as sorted "path\0line\0kind\0text" keys. */
function rgKeys(stdout: string): string[] {
  const keys: string[] = [];
  for (const line of stdout.split('\n')) {
    const nul = line.indexOf('\0');
    if (nul < 0) continue;
    const m = /^(\d+)([:-])(.*)$/s.exec(line.slice(nul + 1));
    if (!m) continue;
    keys.push(`${line.slice(0, nul)}\0${m[1].padStart(9, '0')}\0${m[2] === ':' ? 'm' : 'c'}\0${m[3].replace(/\r$/, '')}`);
  }
  return keys.sort();
}

/** One search_code call as the tool makes it (default maxResults, rendered), timed. */
async function timed(root: string, options: SearchOptions, engine: SearchEngine): Promise<number> {
  const start = performance.now();
  const outcome = await searchCode(root, options, engine, undefined, defaultMaxResults);
  formatSearchResults(outcome, defaultMaxResults);
  return performance.now() - start;
}

/** The complete result set of an engine, as sorted keys (untimed). */
async function allKeys(root: string, options: SearchOptions, engine: SearchEngine): Promise<{ keys: string[]; engine: string }> {
  const outcome = await searchCode(root, options, engine);
  return { keys: outcome.lines.map((l) => `${l.path}\0${String(l.line).padStart(9, '0')}\0${l.match ? 'm' : 'c'}\0${l.text}`).sort(), engine: outcome.engine };
}

export default async function searchBench(args: string[]): Promise<void> {
  const corpusArg = args.indexOf('--corpus') >= 0 ? args[args.indexOf('--corpus') + 1] : 'node_modules/typescript';
  const runs = args.indexOf('--runs') >= 0 ? Number(args[args.indexOf('--runs') + 1]) : 7;
  const corpus = path.resolve(corpusArg);
  if (!existsSync(corpus)) throw new Error(`No corpus at ${corpus}; pass --corpus DIR.`);
  if (!findRipgrep()) throw new Error('rg is not on PATH; the bench needs it as the anchor (apt-get install ripgrep).');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'assist-bench-search-'));
  const root = path.join(tmp, 'corpus');
  try {
    console.log(`copying ${corpus} to ${root} ...`);
    cpSync(corpus, root, { recursive: true, verbatimSymlinks: true });
    const files = (await walkFiles(root)).length;
    console.log(`${files} files`);
    let identical = true;
    const ratios: number[] = [];
    const ratiosNoRg: number[] = [];
    for (const q of queries) {
      const anchor = await runRg(root, q.options);
      const viaRg = await allKeys(root, q.options, 'auto');
      const inProcess = await allKeys(root, q.options, 'node');
      const keysRg = rgKeys(anchor.stdout);
      const same =
        viaRg.engine === 'ripgrep' && JSON.stringify(keysRg) === JSON.stringify(viaRg.keys) && JSON.stringify(viaRg.keys) === JSON.stringify(inProcess.keys);
      const rgMs: number[] = [];
      const autoMs: number[] = [];
      const nodeMs: number[] = [];
      const steps: Array<() => Promise<void>> = [
        async () => void rgMs.push((await runRg(root, q.options)).ms),
        async () => void autoMs.push(await timed(root, q.options, 'auto')),
        async () => void nodeMs.push(await timed(root, q.options, 'node')),
      ];
      for (let i = 0; i < runs; i++) {
        for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]();
      }
      identical &&= same;
      const r = median(autoMs) / median(rgMs);
      const r2 = median(nodeMs) / median(rgMs);
      ratios.push(r);
      ratiosNoRg.push(r2);
      console.log(
        `${q.name.padEnd(20)} lines ${String(keysRg.length).padStart(7)}  rg ${median(rgMs).toFixed(1)} ms  search_code ${median(autoMs).toFixed(1)} ` +
          `ms (x${r.toFixed(2)})  in-process ${median(nodeMs).toFixed(1)} ms (x${r2.toFixed(2)})  ` +
          (same ? 'identical' : `DIFFERENT (rg ${keysRg.length}, search_code ${viaRg.keys.length} via ${viaRg.engine}, in-process ${inProcess.keys.length})`),
      );
    }
    const round = (x: number) => Math.round(x * 100) / 100;
    console.log(
      JSON.stringify({
        bench: 'search',
        corpus: corpusArg,
        files,
        identical,
        medianRatioVsRg: round(median(ratios)),
        medianRatioVsRgNoRg: round(median(ratiosNoRg)),
      }),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
