/**
 * `npm run bench -- NAME [args]` runs `bench/NAME.ts`. Each bench prints progress, then as its
 * last line one JSON object with ratios against an anchor measured in the same run.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

const [name, ...args] = process.argv.slice(2);
const here = path.dirname(new URL(import.meta.url).pathname);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [args]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
const bench = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<void> };
await bench.default(args);
