/**
 * Child process of `npm run bench -- bigrepo`: opens the project at argv[2] as a session would
 * (a cold index, the repo map, a search, reads of the huge log, the minified bundle and a small
 * file, a listing) through the real tools, and prints one JSON line: seconds per phase, the peak
 * RSS of this process, and what the tools answered (so the parent can check they stayed bounded).
 */
import { defaults } from '../src/config/schema.ts';
import { openIndex } from '../src/index/open-index.ts';
import { openWorkspace } from '../src/workspace/open-workspace.ts';
import { listFilesTool } from '../tools/list_files.ts';
import { readFileTool } from '../tools/read_file.ts';
import { searchCodeTool } from '../tools/search_code.ts';
import type { ToolContext } from '../tools/tool.ts';

const root = process.argv[2];
const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
const phases: Record<string, number> = {};
const started = performance.now();
async function phase<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const at = performance.now();
  const value = await fn();
  phases[name] = Number(((performance.now() - at) / 1000).toFixed(3));
  return value;
}

const config = structuredClone(defaults);
const index = openIndex(root, config);
const ctx: ToolContext = {
  root,
  config,
  workspace: openWorkspace(root),
  index,
  signal: new AbortController().signal,
  approve: async () => ({ answer: 'yes' }),
};
const indexed = await phase('index', () => index.update());
const map = await phase('repoMap', () => index.repoMap({ tokenBudget: 1024 }));
const searchArgs = (query: string) => ({ query, regex: null, caseSensitive: null, glob: null, contextLines: null, maxResults: null });
const search = await phase('search', () => searchCodeTool.execute(searchArgs('handler7('), ctx));
const searchLog = await phase('searchLog', () => searchCodeTool.execute(searchArgs('request 777777 from'), ctx));
const readHuge = await phase('readHuge', () => readFileTool.execute({ path: 'logs/huge.log', startLine: 400_000, endLine: null }, ctx));
const readBundle = await phase('readBundle', () => readFileTool.execute({ path: 'dist/bundle.min.js', startLine: null, endLine: null }, ctx));
const readSmall = await phase('readSmall', () => readFileTool.execute({ path: 'src/pkg0/mod0.ts', startLine: null, endLine: null }, ctx));
const listed = await phase('list', () => listFilesTool.execute({ glob: null, dir: 'logs' }, ctx));
const warm = await phase('warmUpdate', () => index.update());
const seconds = (performance.now() - started) / 1000;
const notes = index.notes?.() ?? [];
process.stdout.write(
  JSON.stringify({
    seconds: Number(seconds.toFixed(2)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    baselineRssMb: Math.round(baselineRssMb),
    phases,
    files: indexed.files,
    skipped: notes.filter((n) => n.note.startsWith('skipped')).map((n) => `${n.path}: ${n.note}`),
    warmParsed: warm.parsed,
    mapChars: map.length,
    answers: {
      search: search.forModel.split('\n').at(-1),
      searchLog: searchLog.forModel.split('\n')[0],
      readHuge: {
        chars: readHuge.forModel.length,
        head: readHuge.forModel.split('\n')[0],
        note: readHuge.forModel.split('\n').at(-1),
        error: readHuge.error?.code,
      },
      readBundle: { chars: readBundle.forModel.length, head: readBundle.forModel.split('\n')[0].slice(0, 160), error: readBundle.error?.code },
      readSmall: readSmall.forModel.split('\n')[0],
      list: listed.forModel,
    },
  }) + '\n',
);
