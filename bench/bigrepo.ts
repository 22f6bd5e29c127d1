/**
 * `npm run bench -- bigrepo [--small-files N] [--keep]`: a big repository stays held. Builds, in a
 * temp dir, a tree with a 100 MB text file, binaries (20 MB in all), a 5 MB minified bundle and
 * 50,000 small source files; opens it as a session would (cold index, repo map, a search, reads of
 * the huge, minified and a small file, a listing) in a child process; and prints its seconds and
 * peak RSS next to `rg --files` on the same tree (best of 3, via /usr/bin/time), as ratios. Fails
 * when a read was not bounded or a huge, binary or minified file was not listed as skipped.
 * Last line: {"bench":"bigrepo","files":F,"seconds":S,"peakRssMb":M,"rgFilesSeconds":s,"rgFilesPeakRssMb":m,"secondsVsRg":R,"rssVsRg":Q,...}
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const mb = 1024 * 1024;

function parseArgs(args: string[]): { smallFiles: number; keep: boolean } {
  let smallFiles = 50_000;
  let keep = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--small-files' && args[i + 1]) smallFiles = Math.max(1, Number(args[++i]));
    else if (args[i] === '--keep') keep = true;
    else throw new Error(`unknown argument ${args[i]}; usage: npm run bench -- bigrepo [--small-files N] [--keep]`);
  }
  return { smallFiles, keep };
}

/** The tree: logs/huge.log (100 MB of log lines), assets/*.png and vendor/libbig.so (random bytes), dist/bundle.min.js (5 MB, one line), src/pkgN/modM.ts. */
function buildTree(root: string, smallFiles: number): void {
  const write = (rel: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  };
  mkdirSync(path.join(root, 'logs'));
  const fd = openSync(path.join(root, 'logs', 'huge.log'), 'w');
  try {
    let written = 0;
    let n = 0;
    while (written < 100 * mb) {
      const lines: string[] = [];
      for (let i = 0; i < 10_000; i++, n++)
        lines.push(`2025-01-01T00:00:${String(n % 60).padStart(2, '0')}Z INFO request ${n} from 10.0.${n % 256}.${(n * 7) % 256} handled in ${n % 997} ms`);
      written += writeSync(fd, lines.join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
  for (let i = 0; i < 10; i++)
    write(`assets/image-${i}.png`, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), randomBytes(mb)]));
  write('vendor/libbig.so', Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x00'), randomBytes(10 * mb)]));
  const parts: string[] = ['!function(e){"use strict";'];
  for (let i = 0; parts.join('').length < 5 * mb; i++) parts.push(`var f${i}=function(t,n){return t+n*${i}||e.x${i % 50}};`.repeat(100));
  write('dist/bundle.min.js', `${parts.join('')}}(window);`);
  const perDir = 100;
  for (let i = 0; i < smallFiles; i++) {
    const dir = Math.floor(i / perDir);
    write(
      `src/pkg${dir}/mod${i % perDir}.ts`,
      `import { handler${(i + 1) % perDir} } from './mod${(i + 1) % perDir}.ts';\n\n/** Handles request kind ${i}. */\nexport function ` +
        `handler${i % perDir}(x: number): number {\n  return handler${(i + 1) % perDir}.length + x + ${i};\n}\n`,
    );
  }
}

/** `/usr/bin/time -f "%e %M" rg --files` on root: seconds and peak RSS (MB), best of `runs`. */
function rgFiles(root: string, runs: number): { seconds: number; peakRssMb: number; files: number } {
  const seconds: number[] = [];
  const rss: number[] = [];
  let files = 0;
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'rg', '--files'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * mb });
    if (r.status !== 0) throw new Error(`rg --files failed: ${r.stderr}`);
    const [s, kb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    seconds.push(s);
    rss.push(kb / 1024);
    files = r.stdout.split('\n').filter(Boolean).length;
  }
  return { seconds: Math.min(...seconds), peakRssMb: Math.min(...rss), files };
}

export default async function bench(args: string[]): Promise<void> {
  const { smallFiles, keep } = parseArgs(args);
  const root = mkdtempSync(path.join(tmpdir(), 'assist-bench-bigrepo-'));
  try {
    const building = performance.now();
    buildTree(root, smallFiles);
    console.log(`tree built in ${((performance.now() - building) / 1000).toFixed(1)} s at ${root}`);
    const rg = rgFiles(root, 3);
    console.log(`rg --files: ${rg.files} files, ${rg.seconds} s, peak RSS ${rg.peakRssMb.toFixed(1)} MB (best of 3)`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./_bigrepo-session.ts', import.meta.url)), root], {
      encoding: 'utf8',
      maxBuffer: 64 * mb,
    });
    if (child.status !== 0) throw new Error(`the session child failed (${child.status}): ${child.stderr}`);
    const session = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
      seconds: number;
      peakRssMb: number;
      baselineRssMb: number;
      phases: Record<string, number>;
      files: number;
      skipped: string[];
      warmParsed: number;
      answers: {
        readHuge: { chars: number; head: string; note: string; error?: string };
        readBundle: { chars: number; head: string; error?: string };
        search: string;
        searchLog: string;
        list: string;
      };
    };
    console.log(
      `session: ${session.seconds} s, peak RSS ${session.peakRssMb} MB (${session.baselineRssMb} MB after loading the code); phases ` +
        `${JSON.stringify(session.phases)}`,
    );
    console.log(`skipped (${session.skipped.length}):\n  ${session.skipped.join('\n  ')}`);
    console.log(`read huge.log at line 400000: ${session.answers.readHuge.head} ... ${session.answers.readHuge.note}`);
    console.log(`read bundle.min.js: ${session.answers.readBundle.head}`);
    console.log(`search: ${session.answers.search}; in the log: ${session.answers.searchLog}`);
    console.log(`list logs/: ${session.answers.list.replaceAll('\n', ' | ')}`);
    const problems: string[] = [];
    for (const file of ['logs/huge.log', 'dist/bundle.min.js', 'vendor/libbig.so', 'assets/image-0.png'])
      if (!session.skipped.some((s) => s.startsWith(`${file}: skipped`))) problems.push(`${file} is not listed as skipped`);
    if (session.answers.readHuge.error || session.answers.readHuge.chars > 50_000)
      problems.push(`read_file of the huge log was not a bounded slice (${session.answers.readHuge.chars} chars, ${session.answers.readHuge.error})`);
    if (session.answers.readBundle.error || session.answers.readBundle.chars > 50_000)
      problems.push(`read_file of the bundle was not a bounded window (${session.answers.readBundle.chars} chars)`);
    if (session.files !== rg.files) problems.push(`the index saw ${session.files} files, rg --files ${rg.files}`);
    const line = {
      bench: 'bigrepo',
      files: session.files,
      seconds: session.seconds,
      peakRssMb: session.peakRssMb,
      baselineRssMb: session.baselineRssMb,
      rgFilesSeconds: rg.seconds,
      rgFilesPeakRssMb: Number(rg.peakRssMb.toFixed(1)),
      secondsVsRg: Number((session.seconds / Math.max(rg.seconds, 0.01)).toFixed(1)),
      rssVsRg: Number((session.peakRssMb / rg.peakRssMb).toFixed(1)),
      phases: session.phases,
      skipped: session.skipped.length,
      boundedReads: problems.length === 0,
    };
    if (problems.length) console.error(`NOT HELD:\n  ${problems.join('\n  ')}`);
    console.log(JSON.stringify(line));
    if (problems.length) process.exitCode = 1;
  } finally {
    if (keep) console.log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}
