/**
 * Ranks files and definitions by a reference graph, as aider's repo map does: an edge runs from
 * a file that uses an identifier to each file defining it; PageRank (personalised towards focus
 * files and identifiers) ranks the files, and each file's rank flows along its edges to the
 * definitions it uses.
 */
import type { FileDef } from './extract-symbols.ts';
import type { FileSymbols } from './index-file.ts';
import { languageFamily } from './languages.ts';

/** Options of `rankDefinitions`. */
export interface RankOptions {
  focusFiles?: readonly string[];
  focusIdents?: readonly string[];
  /** PageRank damping; default 0.85, or 0.5 when there are focus files. */
  damping?: number;
}

/** A definition with its rank. */
export interface RankedDef {
  path: string;
  def: FileDef;
  rank: number;
}

/** Definitions best first, then the files in rank order (every indexed file appears in `files`). */
export interface Ranking {
  defs: RankedDef[];
  files: Array<{ path: string; rank: number }>;
}

const defaultDamping = 0.85;
/** With focus files, rank stays closer to them: what they use matters more than global hubs. */
const focusedDamping = 0.5;
/** An identifier defined in more files than this says nothing about which one is meant. */
const maxDefiners = 25;
/** The share of its file's rank a definition gets when no other file uses it. */
const unusedShare = 0.001;
const iterations = 40;

function identWeight(ident: string, definers: number, focusIdents: ReadonlySet<string>): number {
  let weight = 1;
  if (focusIdents.has(ident)) weight *= 10;
  const isWordy = /[a-z][A-Z]|_|-/.test(ident) || /^[A-Z][a-z]+[A-Z]/.test(ident);
  if (isWordy && ident.length >= 8) weight *= 10;
  else if (ident.length <= 4) weight *= 0.3; // `text`, `line`, `push`: mostly someone else's
  if (ident.startsWith('_')) weight *= 0.1;
  if (definers > 5) weight *= 0.1;
  return weight;
}

const bodyKinds: ReadonlySet<string> = new Set(['function', 'method']);

/**
 * The definitions another file can refer to: not those inside a function or method body (local
 * helpers), which share names with every other file's locals.
 */
function linkableDefs(defs: readonly FileDef[]): FileDef[] {
  const out: FileDef[] = [];
  const open: FileDef[] = [];
  for (const def of defs) {
    while (open.length > 0 && open[open.length - 1].endLine < def.line) open.pop();
    if (!open.some((outer) => bodyKinds.has(outer.kind) && outer.line < def.line)) out.push(def);
    if (def.endLine > def.line) open.push(def);
  }
  return out;
}

/** Ranks the definitions of `files` (path → symbols). Deterministic for the same input. */
export function rankDefinitions(files: ReadonlyMap<string, FileSymbols>, options: RankOptions = {}): Ranking {
  const paths = [...files.keys()].sort();
  const indexOf = new Map(paths.map((p, i) => [p, i]));
  const focusFiles = new Set((options.focusFiles ?? []).filter((f) => indexOf.has(f)));
  const focusIdents = new Set(options.focusIdents ?? []);
  const damping = options.damping ?? (focusFiles.size > 0 ? focusedDamping : defaultDamping);

  const definers = new Map<string, number[]>();
  paths.forEach((p, i) => {
    for (const def of linkableDefs(files.get(p)!.defs)) {
      const list = definers.get(def.name);
      if (!list) definers.set(def.name, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  });
  const identIds = new Map<string, number>();
  const identNames: string[] = [];
  for (const ident of definers.keys()) {
    identIds.set(ident, identNames.length);
    identNames.push(ident);
  }

  const family = paths.map((p) => languageFamily(files.get(p)!.lang));
  const edgeSrc: number[] = [];
  const edgeDst: number[] = [];
  const edgeIdent: number[] = [];
  const edgeWeight: number[] = [];
  const referenced = new Set<number>();
  const n = paths.length;
  paths.forEach((p, src) => {
    const symbols = files.get(p)!;
    symbols.tokens.forEach((ident, k) => {
      const dsts = definers.get(ident);
      if (!dsts || dsts.length > maxDefiners) return;
      const id = identIds.get(ident)!;
      const weight = identWeight(ident, dsts.length, focusIdents) * Math.sqrt(symbols.counts[k] ?? 1);
      for (const dst of dsts) {
        if (dst === src || family[dst] !== family[src]) continue;
        edgeSrc.push(src);
        edgeDst.push(dst);
        edgeIdent.push(id);
        edgeWeight.push(weight);
        referenced.add(id * n + dst);
      }
    });
  });
  const edgeCount = edgeSrc.length;

  const personal = new Float64Array(n);
  const focusPathIdents = [...focusIdents].filter((i) => i.length >= 3);
  paths.forEach((p, i) => {
    const base = p.slice(p.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
    if (focusFiles.has(p) || focusPathIdents.includes(base)) personal[i] = 1;
  });
  for (const ident of focusIdents) for (const dst of definers.get(ident) ?? []) personal[dst] = 1;
  let personalSum = personal.reduce((a, b) => a + b, 0);
  if (personalSum === 0) {
    personal.fill(1);
    personalSum = n;
  }
  for (let i = 0; i < n; i++) personal[i] /= personalSum;

  const outWeight = new Float64Array(n);
  for (let e = 0; e < edgeCount; e++) outWeight[edgeSrc[e]] += edgeWeight[e];
  let rank = Float64Array.from(personal);
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) if (outWeight[i] === 0) dangling += rank[i];
    for (let e = 0; e < edgeCount; e++) next[edgeDst[e]] += (damping * rank[edgeSrc[e]] * edgeWeight[e]) / outWeight[edgeSrc[e]];
    let delta = 0;
    for (let i = 0; i < n; i++) {
      next[i] += (1 - damping + damping * dangling) * personal[i];
      delta += Math.abs(next[i] - rank[i]);
    }
    rank = next;
    if (delta < 1e-9) break;
  }

  const defRank = new Map<number, number>();
  for (let e = 0; e < edgeCount; e++) {
    const key = edgeIdent[e] * n + edgeDst[e];
    defRank.set(key, (defRank.get(key) ?? 0) + (rank[edgeSrc[e]] * edgeWeight[e]) / outWeight[edgeSrc[e]]);
  }
  // a definition nobody else uses still ranks, far below used ones, by its file's rank
  for (const [ident, dsts] of definers) {
    const id = identIds.get(ident)!;
    for (const dst of dsts) {
      const key = id * n + dst;
      if (!referenced.has(key)) defRank.set(key, rank[dst] * unusedShare);
    }
  }
  // an identifier named in the conversation ranks like its whole file
  for (const ident of focusIdents) {
    const id = identIds.get(ident);
    if (id === undefined) continue;
    for (const dst of definers.get(ident)!) defRank.set(id * n + dst, (defRank.get(id * n + dst) ?? 0) + rank[dst]);
  }
  const defs: RankedDef[] = [];
  for (const [key, r] of defRank) {
    const ident = identNames[Math.floor(key / n)];
    const p = paths[key % n];
    for (const def of files.get(p)!.defs) if (def.name === ident) defs.push({ path: p, def, rank: r });
  }
  defs.sort((a, b) => b.rank - a.rank || a.path.localeCompare(b.path) || a.def.line - b.def.line);
  const ranked = paths.map((p, i) => ({ path: p, rank: rank[i] }));
  ranked.sort((a, b) => b.rank - a.rank || a.path.localeCompare(b.path));
  return { defs, files: ranked };
}
