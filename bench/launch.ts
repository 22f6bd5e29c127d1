/**
 * `npm run bench -- launch [--runs N]`: how long `assist --version` and `assist --help` take from
 * spawn to exit, against `node -e 0` (the floor any Node program pays) in the same run.
 *
 * Each round spawns, in fresh processes and interleaved: `node -e 0`, `node bin/assist.js
 * --version`, `node bin/assist.js --help`, and `--version` again with ASSIST_FROM_SOURCE=1 (tsx,
 * no launch bundle) to show what the bundle buys. One untimed warm-up round comes first (it also
 * lets bin/assist.js rebuild its bundle after an edit: a one-off cost, not a launch cost).
 * Reported: medians over the rounds. Then the first launch after an install, both ways the bundle
 * can come to be: built by that launch (the bundle folder removed first: `firstLaunchMs`), or built
 * at install by `npm install`'s prepare script (`prepareMs`, then the launch is a warm one).
 * Last line: {"bench":"launch","runs":N,"versionMs":V,"helpMs":H,"sourceVersionMs":S,"nodeMs":N0,
 * "ratioVsNode":V/N0,"helpRatioVsNode":H/N0,"sourceRatioVsNode":S/N0,"firstLaunchMs":F,"prepareMs":P}
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'assist.js');

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const n = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return n;
}

/** Wall time of one child process, spawn to exit; fails the bench when the child fails. */
function timed(argv: string[], expect: (stdout: string) => boolean, env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, argv, { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  const ms = performance.now() - started;
  if (result.status !== 0 || !expect(result.stdout)) {
    throw new Error(`node ${argv.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export default async function launchBench(args: string[]): Promise<void> {
  const runs = option(args, '--runs', 15);
  const version = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version;
  const round = () => ({
    node: timed(['-e', '0'], () => true),
    version: timed([bin, '--version'], (out) => out.trim() === version),
    help: timed([bin, '--help'], (out) => out.includes('Usage: assist')),
    source: timed([bin, '--version'], (out) => out.trim() === version, { ASSIST_FROM_SOURCE: '1' }),
  });
  round();
  const samples = { node: [] as number[], version: [] as number[], help: [] as number[], source: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const r = round();
    for (const key of Object.keys(samples) as Array<keyof typeof samples>) samples[key].push(r[key]);
    console.error(
      `round ${i + 1}/${runs}: node ${r.node.toFixed(0)} ms, --version ${r.version.toFixed(0)} ms, --help ${r.help.toFixed(0)} ms, --version from ` +
        `source ${r.source.toFixed(0)} ms`,
    );
  }
  // The first launch after an install: the bundle built by the launch itself, or by `npm run prepare`.
  const cache = path.join(repo, 'node_modules', '.cache', 'assist-launch');
  const firsts: number[] = [];
  const prepares: number[] = [];
  for (let i = 0; i < Math.min(5, runs); i++) {
    rmSync(cache, { recursive: true, force: true });
    firsts.push(timed([bin, '--version'], (out) => out.trim() === version));
    rmSync(cache, { recursive: true, force: true });
    prepares.push(timed(['bin/launch-bundle.js', '--build'], () => true));
  }
  const nodeMs = median(samples.node);
  const versionMs = median(samples.version);
  const helpMs = median(samples.help);
  const sourceVersionMs = median(samples.source);
  const round1 = (n: number) => Math.round(n * 10) / 10;
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'launch',
      runs,
      versionMs: round1(versionMs),
      helpMs: round1(helpMs),
      sourceVersionMs: round1(sourceVersionMs),
      nodeMs: round1(nodeMs),
      ratioVsNode: ratio(versionMs, nodeMs),
      helpRatioVsNode: ratio(helpMs, nodeMs),
      sourceRatioVsNode: ratio(sourceVersionMs, nodeMs),
      firstLaunchMs: round1(median(firsts)),
      prepareMs: round1(median(prepares)),
    }),
  );
}
