/**
 * A function extracted from code written out in place ("… is written out twice: in
 * `weekly_timesheet` and in the `report` command. Extract it into one function
 * `week_bounds(day, week_start)` in tally/timeutil.py, and make both places use it"), before the
 * model's first step. Left to it, the 1.5B model read, wrote the whole of timeutil.py as six lines,
 * was refused, and read again until the time ran out (0/2 in the codebases).
 *
 * Done as a developer does it, each piece by code completion: the new function at the end of the
 * file it goes in, with the code it is taken from (each place the request names) as comments above
 * it; its import in each of those files; then in each place, the lines most like the new function's
 * body written afresh with the new function's signature, and the names those lines must still set
 * for the code after them, as comments above them (a code model given `week_bounds` there calls
 * it). When the tests fail, the calls are written first instead (from the request's call) and the
 * function after them, from how they call it; then samples. The whole is tried staged against the
 * project's tests, and a try that passes, with every place calling the new function, is proposed.
 * Python and JavaScript/TypeScript so far (the import is written by assist).
 */
import path from 'node:path';
import type { RepoIndex, SymbolDef } from '../../index/repo-index.ts';
import type { FileChange } from '../../workspace/approval.ts';
import { requestComment } from '../../../tools/body-rewrite.ts';
import { syntaxGate, withStaged } from '../../../tools/change-flow.ts';
import type { ToolContext, ToolResult } from '../../../tools/tool.ts';
import { escapeRegex } from '../../workspace/search-query.ts';
import { filesMentioned, identifiersIn } from '../project-context.ts';
import { familyOf, splitTopLevel, withoutUnusedImports } from './signature-change.ts';
import { jaccard } from '../../text/set-likeness.ts';
import { headAbove } from '../completion/infill-window.ts';
import { runPassed } from '../attempts.ts';

/** What an extraction asks for. */
export interface ExtractAsk {
  /** The new function's name. */
  name: string;
  /** Its parameters' names as the request writes them (`week_bounds(day, week_start)`); [] when it gives none. */
  params: string[];
  /** The file it goes in. */
  target: string;
  /** The functions the code is taken from. */
  sites: SymbolDef[];
}

/** "Extract it into", "pull that out into", "factor the loop out as": a verb of extraction and where to (not "a function that extracts …"). */
const extractVerb = /\b(extract|pull\s+(?:[\w`]+\s+){0,4}?out|factor\s+(?:[\w`]+\s+){0,3}?out)\b[^.]{0,80}?\b(into|as)\b/i;
const ident = /^[A-Za-z_$][\w$]*$/;

/**
 * The extraction `task` asks for: a verb of extraction, a function named in backticks that the
 * project does not define yet (as a call, `week_bounds(day, week_start)`, or after "function"), the
 * file it goes in (the first the request names after it, of a language this handles), and the
 * functions the request names that the project defines (where the code is now). Undefined otherwise.
 */
export function extractAsked(task: string, files: readonly string[], index: Pick<RepoIndex, 'symbols'>): ExtractAsk | undefined {
  if (!extractVerb.test(task)) return undefined;
  const defsOf = (name: string) => {
    try {
      return index.symbols(name, { maxRefs: 0 }).defs;
    } catch {
      return [];
    }
  };
  for (const quoted of task.matchAll(/`([^`]+)`/g)) {
    const call = /([A-Za-z_$][\w$]*)\s*\(([^()]*)\)\s*(?:->.*)?$/.exec(quoted[1]);
    const before = task.slice(Math.max(0, (quoted.index ?? 0) - 16), quoted.index);
    const name = call?.[1] ?? (ident.test(quoted[1]) && /\bfunction\s+$/i.test(before) ? quoted[1] : undefined);
    if (!name || defsOf(name).length > 0) continue;
    const params = call
      ? splitTopLevel(call[2])
          .map((p) => /([A-Za-z_$][\w$]*)\s*(?:[:=].*)?$/.exec(p.replace(/\s*[:=][^,]*$/, ''))?.[1] ?? '')
          .filter(Boolean)
      : [];
    const after = task.slice((quoted.index ?? 0) + quoted[0].length);
    const target = [...filesMentioned(after, [...files]), ...filesMentioned(task, [...files])].find((f) => familyOf(f));
    if (!target) return undefined;
    const mentioned = filesMentioned(task, [...files]);
    const sites: SymbolDef[] = [];
    // (a name several files define: the one in a file the request names, "the `report` command in tally/cli/commands.py")
    for (const other of identifiersIn(task)) {
      if (other === name) continue;
      const defs = defsOf(other).filter((d) => (d.kind === 'function' || d.kind === 'method') && familyOf(d.path) === familyOf(target));
      const def = defs.length === 1 ? defs[0] : defs.find((d) => mentioned.includes(d.path));
      if (def && !sites.some((s) => s.path === def.path && s.line === def.line)) sites.push(def);
    }
    return sites.length ? { name, params, target, sites } : undefined;
  }
  return undefined;
}

/**
 * Whether the request asks for nothing but the extraction and its use ("… and make both places use
 * it"): then the tests passing with it end the turn.
 */
export function onlyExtracts(task: string): boolean {
  return !/\b(and|then|also|plus)\b[^.]*?\b(add|write|fix|implement|create|delete|rename|document|split|merge)\w*/i.test(task);
}

/** Identifier and number tokens of a line. */
function tokens(line: string): Set<string> {
  return new Set(line.match(/[A-Za-z_$][\w$]*|\d+/g) ?? []);
}

/** A line with too little in it to compare (a brace, a blank, `else:`): it neither starts nor breaks a region. */
const neutral = (line: string) => tokens(line).size < 2;

/** How like a line of the new function's body a line must be to be part of what it replaces. */
const alike = 0.4;

/**
 * The 0-based lines of `lines` within `from`..`to` that the new function's `body` lines replace:
 * the run of lines most like them (each at least 40% alike by its words, braces and blank lines
 * between allowed), widened to whole statements and blocks. Undefined when no line is alike.
 */
export function likeRegion(
  lines: readonly string[],
  from: number,
  to: number,
  body: readonly string[],
  python: boolean,
): { from: number; to: number } | undefined {
  const wanted = body.filter((l) => !neutral(l)).map(tokens);
  if (wanted.length === 0) return undefined;
  const score = (i: number) => Math.max(...wanted.map((w) => jaccard(tokens(lines[i]), w)));
  let best: { from: number; to: number; sum: number } | undefined;
  let run: { from: number; to: number; sum: number } | undefined;
  for (let i = from; i <= to; i++) {
    if (neutral(lines[i])) continue;
    const s = score(i);
    if (s >= alike) {
      run = run ? { ...run, to: i, sum: run.sum + s } : { from: i, to: i, sum: s };
      if (!best || run.sum > best.sum) best = { ...run };
    } else run = undefined;
  }
  if (!best) return undefined;
  let start = best.from;
  let end = best.to;
  // whole statements: back to where the first one starts (a `.sort(…)` line continues the one above)
  while (start > from && (/^\s*[.)\]}?:+\-*/&|]/.test(lines[start]) || /[([{,=+\-*/&|.\\]\s*$/.test(lines[start - 1]))) start--;
  if (python) {
    // a block opened in the region takes its indented lines
    const indent = (l: string) => /^\s*/.exec(l)![0].length;
    while (end < to && (lines[end + 1].trim() === '' || indent(lines[end + 1]) > indent(lines[start]))) end++;
    while (end > start && lines[end].trim() === '') end--;
  } else {
    // the braces opened in the region closed in it
    const depth = (i: number) => (lines[i].match(/[{([]/g) ?? []).length - (lines[i].match(/[})\]]/g) ?? []).length;
    let open = 0;
    for (let i = start; i <= end; i++) open += depth(i);
    while (open > 0 && end < to) open += depth(++end);
    while (/[,([{=+\-*/&|.]\s*$/.test(lines[end]) && end < to) end++;
  }
  return { from: start, to: end };
}

/**
 * `site` (the text of a file that will call the new function) with an import of `name` from
 * `target`: the name added to an import of that module there is, else a new import after the last
 * one at the top. Undefined for a language this does not write imports for.
 */
export function withImport(site: string, sitePath: string, target: string, name: string): string | undefined {
  if (sitePath === target) return site;
  const family = familyOf(sitePath);
  const lines = site.split('\n');
  const lastImport = (pattern: RegExp) => {
    let at = -1;
    for (const [i, line] of lines.entries()) {
      if (pattern.test(line)) at = i;
      else if (/^(def|class|function|export|const|let|var|async)\b/.test(line)) break;
    }
    return at;
  };
  if (family === 'python') {
    const dotted = target
      .slice(0, -path.posix.extname(target).length)
      .replace(/^src\//, '')
      .split('/')
      .join('.');
    const stem = path.posix.basename(target, path.posix.extname(target));
    const same = path.posix.dirname(sitePath) === path.posix.dirname(target);
    const existing = lines.findIndex((l) => {
      const m = /^from\s+(\S+)\s+import\s+([^()#]+)$/.exec(l);
      return m && (m[1] === dotted || (same && m[1] === `.${stem}`));
    });
    if (existing >= 0) {
      lines[existing] = `${lines[existing].trimEnd()}, ${name}`;
      return lines.join('\n');
    }
    return insertImport(lines, lastImport(/^(from\s+\S+\s+import\s|import\s)/), `from ${dotted} import ${name}`, 2);
  }
  if (family === 'js') {
    const dir = path.posix.dirname(sitePath);
    const bare = (file: string) => file.slice(0, file.length - path.posix.extname(file).length);
    const specs = [...site.matchAll(/\bfrom\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
    const spec = specs.find((s) => bare(path.posix.join(dir, s)) === bare(target));
    if (spec) {
      const at = lines.findIndex((l) => new RegExp(`^import\\s+\\{([^}]*)\\}\\s*from\\s+['"]${escapeRegex(spec)}['"]`).test(l));
      if (at >= 0) {
        lines[at] = lines[at].replace(
          /\{([^}]*)\}/,
          (_, names: string) => `{ ${[name, ...names.split(',').map((n) => n.trim())].filter(Boolean).join(', ')} }`,
        );
        return lines.join('\n');
      }
    }
    let rel = path.posix.relative(dir, target);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    // (as the file writes its other imports: with an extension, the one they use, or none)
    const ext = specs.map((s) => path.posix.extname(s)).find((e) => e !== '');
    rel = ext === undefined ? bare(rel) : `${bare(rel)}${ext}`;
    return insertImport(lines, lastImport(/^import\s/), `import { ${name} } from '${rel}';`, 1);
  }
  return undefined;
}

/**
 * `lines` with `line` after the 0-based line `after` (the last import), or, with no import there
 * (-1), after the comments and the docstring at the top, `blank` blank lines between it and code.
 */
function insertImport(lines: string[], after: number, line: string, blank: number): string {
  if (after >= 0) {
    lines.splice(after + 1, 0, line);
    return lines.join('\n');
  }
  let at = 0;
  while (at < lines.length && /^\s*(#|\/\/|$)/.test(lines[at])) at++;
  const doc = /^\s*[rRuU]?("""|''')/.exec(lines[at] ?? '');
  if (doc) {
    // (a module docstring: the import goes after its last line)
    let end = at;
    if (lines[at].split(doc[1]).length < 3) while (end + 1 < lines.length && !lines[++end].includes(doc[1]));
    at = end + 1;
    while (at < lines.length && lines[at].trim() === '') at++;
  }
  const gap = at < lines.length && lines[at].trim() !== '' ? Array(blank).fill('') : [];
  lines.splice(at, 0, line, ...gap);
  return lines.join('\n');
}

export interface ExtractOptions {
  ask: ExtractAsk;
  /** The request, as a comment above what code completion writes. */
  task: string;
  ctx: ToolContext;
  /** Runs the project's tests with what is staged. */
  runTests: () => Promise<ToolResult>;
  /** Time for all tries together. */
  timeoutMs: number;
  log?: (message: string, detail?: Record<string, unknown>) => void;
}

/** An extraction whose tests pass. */
export interface Extraction {
  changes: Array<FileChange & { after: string }>;
  /** The new function's first line. */
  header: string;
  run: NonNullable<ToolResult['run']>;
}

/** Greedy (the most usual text), then sampled, one per seed. */
const hows = [{}, { temperature: 0.6, seed: 1 }, { temperature: 0.6, seed: 2 }];

/**
 * The tries: which is written first, the function or its calls, and how each is written (indexes
 * into `hows`). The function first, from the code it is taken from; then the calls first, from the
 * request's call (`findGaps(window, busy)`), and the function after them, from how they call it
 * (ts-extract-find-gaps: written first, greedy, `findGaps(window: number, …)` took the window's
 * start for the window); then the places again before another function (a function takes longer to
 * write than a place).
 */
const rounds: ReadonlyArray<{ first: 'function' | 'calls'; fn: number; site: number }> = [
  { first: 'function', fn: 0, site: 0 },
  { first: 'calls', fn: 0, site: 0 },
  { first: 'function', fn: 0, site: 1 },
  { first: 'function', fn: 1, site: 0 },
  { first: 'calls', fn: 0, site: 1 },
];

const said = (how: { temperature?: number; seed?: number }) => (how.temperature ? `sampled, seed ${how.seed}` : 'greedy');

/** The extraction asked (see the module's comment), tried staged until the tests pass or the time is up; undefined when no try passed. */
export async function extractFunction(options: ExtractOptions): Promise<Extraction | undefined> {
  const { ask, ctx } = options;
  const family = familyOf(ask.target);
  const comment = ctx.requestComment?.(ask.target);
  if (!family || !ctx.infill || !comment) return undefined;
  const read = async (file: string) => ctx.workspace.readText(file).catch(() => undefined);
  const targetText = await read(ask.target);
  if (targetText === undefined) return undefined;
  const siteTexts = new Map<string, string>();
  for (const site of ask.sites) {
    const text = await read(site.path);
    if (text === undefined) return undefined;
    siteTexts.set(site.path, text);
  }
  const started = Date.now();
  const left = () => options.timeoutMs - (Date.now() - started);
  /** The function written first each way (undefined: written, and not usable). */
  const functions = new Map<number, string | undefined>();
  const withFunction = (fn: string) => `${targetText.trimEnd()}\n${family === 'python' ? '\n\n' : '\n'}${fn}\n`;
  /**
   * Every place written to call the function (`signature`: its first line, or the request's call),
   * its import added; undefined when one did not call it or does not parse. `texts`: the files so far.
   */
  const placeAll = async (signature: string, body: readonly string[] | undefined, how: (typeof hows)[number], what: string, texts: Map<string, string>) => {
    const placed: Record<string, string> = {};
    // bottom up within a file, so the lines of the sites above stay where they are
    for (const site of [...ask.sites].sort((a, b) => b.line - a.line)) {
      const base = texts.get(site.path) ?? siteTexts.get(site.path)!;
      const imported = withImport(base, site.path, ask.target, ask.name);
      if (imported === undefined) return undefined;
      const shift = imported.split('\n').length - base.split('\n').length;
      const used = await useIn(options, site.path, imported, { ...site, line: site.line + shift, endLine: site.endLine + shift }, signature, body, {
        ...how,
        timeoutMs: left(),
      });
      if (!used) {
        options.log?.(`Code completion did not call ${ask.name} in ${site.name} (${site.path}; ${what}).`);
        return undefined;
      }
      const text = withoutUnusedImports(siteTexts.get(site.path) ?? base, used.text, family);
      const refused = syntaxGate([await ctx.workspace.proposeChange(site.path, text)], ctx.config.index.maxFileBytes);
      if (refused) {
        options.log?.(`What code completion wrote in ${site.name} (${site.path}; ${what}) does not parse.`, { syntax: refused.forModel });
        return undefined;
      }
      placed[`${site.name} (${site.path})`] = used.written;
      texts.set(site.path, text);
    }
    return placed;
  };
  for (const round of rounds) {
    if (ctx.signal.aborted || left() < 10_000) break;
    const what = `${round.first} first; the function ${said(hows[round.fn])}, the places ${said(hows[round.site])}`;
    try {
      let fn: string | undefined;
      let placed: Record<string, string> | undefined;
      const texts = new Map<string, string>();
      if (round.first === 'function') {
        if (!functions.has(round.fn)) {
          const written = await newFunction(options, targetText, siteTexts, comment, [], { ...hows[round.fn], timeoutMs: left() });
          if (!written) options.log?.(`Code completion wrote no function ${ask.name} with the parameters asked (${what}).`);
          functions.set(round.fn, written);
        }
        fn = functions.get(round.fn);
        if (!fn) continue;
        texts.set(ask.target, withFunction(fn));
        placed = await placeAll(fn.split('\n')[0], fn.split('\n').slice(1), hows[round.site], what, texts);
      } else {
        // (the lines a call replaces: those most like the function written first, if one was)
        const like = [...functions.values()].find(Boolean)?.split('\n').slice(1);
        placed = await placeAll(`${ask.name}(${ask.params.join(', ')})`, like, hows[round.site], what, texts);
        if (!placed) continue;
        const calls = Object.entries(placed).flatMap(([where, lines]) =>
          lines
            .split('\n')
            .filter((l) => l.includes(`${ask.name}(`))
            .map((l) => `${where}: ${l.trim()}`),
        );
        fn = await newFunction(options, texts.get(ask.target) ?? targetText, siteTexts, comment, calls, { ...hows[round.fn], timeoutMs: left() });
        if (!fn) {
          options.log?.(`Code completion wrote no function ${ask.name} with the parameters asked (${what}).`);
          continue;
        }
        texts.set(ask.target, `${(texts.get(ask.target) ?? targetText).trimEnd()}\n${family === 'python' ? '\n\n' : '\n'}${fn}\n`);
      }
      if (!placed) continue;
      const changes: Array<FileChange & { after: string }> = [];
      for (const [file, text] of texts) {
        const proposed = await ctx.workspace.proposeChange(file, text);
        if (proposed.before !== text) changes.push({ ...proposed, after: text });
      }
      const refused = syntaxGate(changes, ctx.config.index.maxFileBytes);
      if (refused) {
        options.log?.(`The extraction of ${ask.name} (${what}) does not parse.`, { function: fn, syntax: refused.forModel });
        continue;
      }
      const { run } = await withStaged(ctx.workspace, changes, options.runTests);
      if (!run || run.timedOut) {
        options.log?.(`The tests did not finish with ${ask.name} extracted (${what}).`);
        return undefined;
      }
      if (runPassed(run)) {
        options.log?.(`The tests pass with ${ask.name} extracted (${what}).`, { function: fn, places: placed });
        return { changes, header: fn.split('\n')[0].trim(), run };
      }
      options.log?.(`The tests fail with ${ask.name} extracted (${what}).`, {
        function: fn,
        places: placed,
        output: `${run.stdout}\n${run.stderr}`.slice(-2000),
      });
    } catch {
      break; // (the time ran out while code completion wrote)
    }
  }
  return undefined;
}

/** A comment line's marker for the code the function is taken from. */
const fromLine = (c: string, site: SymbolDef) => `${c} The code to extract, in ${site.name} (${site.path}):`;

/**
 * The new function, written by code completion at the end of the target file: the code it is taken
 * from, the request and how the places call it (`calls`, when they were written first) as comments
 * above its first words (`def week_bounds(`). Undefined when what was written lacks a parameter the
 * request names, or repeats the comments.
 */
async function newFunction(
  options: ExtractOptions,
  targetText: string,
  siteTexts: ReadonlyMap<string, string>,
  comment: { text: string; lineComment: string },
  calls: readonly string[],
  how: { temperature?: number; seed?: number; timeoutMs: number },
): Promise<string | undefined> {
  const { ask, ctx } = options;
  const python = familyOf(ask.target) === 'python';
  const c = comment.lineComment;
  const shown = ask.sites.map((site) => {
    const lines = siteTexts
      .get(site.path)!
      .split('\n')
      .slice(site.line - 1, site.endLine);
    return `${fromLine(c, site)}\n${lines.map((l) => `${c} ${l}`).join('\n')}\n`;
  });
  const head = python ? `def ${ask.name}(` : `${/^export\s/m.test(targetText) ? 'export ' : ''}function ${ask.name}(`;
  const called = calls.map((call) => `${c} Called in ${call}\n`).join('');
  const prefix = `${targetText.trimEnd()}\n${python ? '\n\n' : '\n'}${shown.join(`${c}\n`)}${requestComment(comment, '')}${called}${head}`;
  const middle = await ctx.infill!({
    path: ask.target,
    prefix,
    suffix: '\n',
    // (what is written past the function is thrown away: a sampled try took 75 s where the greedy one took 22)
    stops: python ? ['\ndef ', '\nclass ', '\n@', '\nif __name__'] : ['\nexport ', '\nfunction ', '\nconst ', '\n/**'],
    maxTokens: 700,
    timeoutMs: how.timeoutMs,
    ...(how.temperature ? { temperature: how.temperature, seed: how.seed ?? 1 } : {}),
  });
  if (middle === undefined) return undefined;
  const written = `${head}${middle}`.split('\n');
  const kept: string[] = [written[0]];
  for (const line of written.slice(1)) {
    if (line.trim().startsWith('```')) break;
    // (a line at the margin ends a Python function; a `}` there closes a JavaScript one)
    if (python && line.trim() !== '' && !/^\s/.test(line) && !/^\)/.test(line)) break;
    kept.push(line);
    if (!python && /^\}/.test(line)) break;
  }
  const fn = kept.join('\n').replace(/\s+$/, '');
  if (fn.includes(`${c} Request:`) || fn.includes('The code to extract') || fn.includes(`${c} Called in `)) return undefined;
  const open = fn.indexOf('(');
  const params = fn.slice(open + 1, fn.indexOf(')', open));
  if (!ask.params.every((p) => new RegExp(`(?<![\\w$])${escapeRegex(p)}(?![\\w$])`).test(params))) return undefined;
  return fn;
}

/** The names `lines` assign at their own level: `a = …`, `a, b = …`, `const { a, b } = …`, `let [a] = …`. */
export function assigned(lines: readonly string[], python: boolean): string[] {
  const names = new Set<string>();
  for (const line of lines) {
    const m = python
      ? /^\s*([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*)*)\s*,?\s*(?::[^=]+)?=(?!=)/.exec(line)
      : /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*|\{[^}]*\}|\[[^\]]*\])\s*(?::[^=]+)?=(?![=>])/.exec(line);
    if (!m) continue;
    for (const name of m[1].replace(/[{}[\]]/g, '').split(',')) {
      const plain = /^\s*(?:[\w$]+\s*:\s*)?([A-Za-z_$][\w$]*)/.exec(name)?.[1];
      if (plain) names.add(plain);
    }
  }
  return [...names];
}

/**
 * `text` (of `file`) with the lines of `site` most like the new function's `body` (without one,
 * its whole body) written afresh by code completion, the new function's signature and what the
 * lines must still set as comments above them; and the lines written. Undefined when they do not
 * call it or do not set all of that.
 */
async function useIn(
  options: ExtractOptions,
  file: string,
  text: string,
  site: SymbolDef,
  signatureLine: string,
  /** The function's body, to find the lines it replaces by; none: the whole body of the place is written afresh. */
  body: readonly string[] | undefined,
  how: { temperature?: number; seed?: number; timeoutMs: number },
): Promise<{ text: string; written: string } | undefined> {
  const { ask, ctx } = options;
  const python = familyOf(file) === 'python';
  const lines = text.split('\n');
  // the site's body: after its header, to its last line (a closing brace kept)
  let first = site.line - 1;
  while (first < site.endLine - 1 && !/[{:]\s*(#.*|\/\/.*)?$/.test(lines[first])) first++;
  const last = python ? site.endLine - 1 : site.endLine - 2;
  const region = (body && likeRegion(lines, first + 1, last, body, python)) ?? { from: first + 1, to: last };
  const indent = /^\s*/.exec(lines[region.from])![0];
  const c = ctx.requestComment?.(file)?.lineComment ?? '#';
  const signature = signatureLine.replace(/^export\s+/, '').replace(/\s*\{\s*$/, '');
  const callLine = `${c} Call ${ask.name} (${ask.target}) here instead: ${signature}`;
  // what the lines set that the code after them reads: what they must still set (report: `start`
  // and `end`; asked without it, greedy and sampled wrote `first_day, last_day = week_bounds(…)`)
  const after = lines.slice(region.to + 1, last + 1).join('\n');
  const sets = assigned(lines.slice(region.from, region.to + 1), python).filter((name) => new RegExp(`(?<![\\w$.])${name}(?![\\w$])`).test(after));
  const setsLine = sets.length ? `${c} These lines set ${sets.join(', ')}, which the code below reads.` : '';
  // (the file's imports too, where the 150 lines begin below them: the new function's import among them)
  const prefix =
    [...headAbove(lines, Math.max(0, region.from - 150)), ...lines.slice(Math.max(0, region.from - 150), region.from)].map((l) => `${l}\n`).join('') +
    requestComment({ text: options.task, lineComment: c }, indent) +
    `${indent}${callLine}\n${setsLine ? `${indent}${setsLine}\n` : ''}`;
  const suffix = lines.slice(region.to + 1, region.to + 61).join('\n');
  // the model writes on into the code after the gap (weekly_timesheet: the lines after the week, cut
  // at the token limit mid-line): the first line after it stops it, and what it writes ends at a
  // copy of any of the next five
  const following = lines
    .slice(region.to + 1)
    .map((l) => l.trim())
    .filter((l) => l.length >= 4)
    .slice(0, 5);
  const next = following[0];
  const middle = await ctx.infill!({
    path: file,
    prefix,
    suffix,
    ...(next ? { stops: [next] } : {}),
    maxTokens: Math.min(800, 64 + Math.ceil(lines.slice(region.from, region.to + 1).join('\n').length / 2)),
    timeoutMs: how.timeoutMs,
    ...(how.temperature ? { temperature: how.temperature, seed: how.seed ?? 1 } : {}),
  });
  if (middle === undefined) return undefined;
  // (the comments were for the model to read: written again, they are not part of the file)
  // (and comment lines: the model wrote the commented code and words of the prompt again, `# Request ends here`)
  const kept: string[] = [];
  for (const line of middle.split('\n')) {
    // (nor is a line of the code after the gap: report's place wrote the `elif` branch's line after its own)
    if (line.trim().startsWith('```') || (line.trim() !== '' && /^\s*/.exec(line)![0].length < indent.length) || following.includes(line.trim())) break;
    if (line.trim().startsWith(c)) continue;
    kept.push(line);
  }
  while (kept.length && kept.at(-1)!.trim() === '') kept.pop();
  const written = kept.join('\n');
  if (!new RegExp(`(?<![\\w$])${escapeRegex(ask.name)}\\s*\\(`).test(written)) return undefined;
  const set = new Set(assigned(kept, python));
  if (sets.some((name) => !set.has(name))) return undefined;
  return { text: [...lines.slice(0, region.from), ...kept, ...lines.slice(region.to + 1)].join('\n'), written };
}
