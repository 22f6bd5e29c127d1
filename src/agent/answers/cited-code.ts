/**
 * The code an answer cites by place, named. A small model answers a question about the code with
 * where it found the answer (`tally/api/pagination.py:35`) and leaves out what a reader asked for:
 * "which function applies that limit?" was answered "200 … The line of code is
 * tally/api/pagination.py:35.", sent back once for naming no function, and answered the same way.
 * The index knows what the line is in; a citation the answer does not already name is followed by
 * it (`tally/api/pagination.py:35 (in page_params)`), as a diff's hunk header names the function
 * around a change.
 */
import type { RepoIndex, SymbolDef } from '../../index/repo-index.ts';
import { namesFunction } from '../intake/spec-paragraphs.ts';

/** `path:line` or `path:line-line` (`path` with an extension, no spaces), as answers and tools cite code. */
const citation = /(?<![\w./-])((?:[\w.-]+\/)*[\w.-]+\.\w+):(\d+)(?:-(\d+))?(?![\w])/g;

/** Definitions a cited line can be in, innermost first when nested: code that runs, then what holds it. */
const named = new Set(['function', 'method', 'class', 'struct', 'enum', 'interface', 'trait', 'module', 'type']);

/** The innermost definition of `defs` around `line`: a function or method before what holds it. */
function around(defs: readonly SymbolDef[], line: number): SymbolDef | undefined {
  const holding = defs.filter((d) => named.has(d.kind) && d.line <= line && d.endLine >= line);
  return holding.sort((a, b) => b.line - a.line || a.endLine - b.endLine)[0];
}

/**
 * `answer` with each cited place of an indexed file followed by the definition it is in, where the
 * answer does not name that definition anywhere; unchanged when it cites none.
 */
export function withCitedNames(answer: string, index: RepoIndex | undefined): string {
  if (!index) return answer;
  const added = new Set<string>();
  return answer.replace(citation, (whole: string, path: string, line: string, _end: string | undefined, offset: number, all: string) => {
    let defs: SymbolDef[] | undefined;
    try {
      defs = index.outline(path);
    } catch {
      return whole;
    }
    const def = defs && around(defs, Number(line));
    if (!def || namesFunction(all, def.name) || added.has(def.name)) return whole;
    // (a citation already followed by a bracket says what it is itself: `x.py:35 (the cap)`)
    if (/^\s*\(/.test(all.slice(offset + whole.length))) return whole;
    added.add(def.name);
    return `${whole} (in ${def.name})`;
  });
}
