/** Where a compiler's or a runtime's output points into a file. */

/** The lines of `path` that `output` names: `file:12`, `file:12:5`, `--> src/file:12:5`, `file(12,5)`, `File "/work/file", line 12` (Python). */
export function linesNamed(output: string, path: string): number[] {
  const base = (path.split('/').pop() ?? path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const out: number[] = [];
  for (const m of output.matchAll(new RegExp(`(?:^|[\\s/("])${base}(?::(\\d+)|\\((\\d+),|", line (\\d+))`, 'gm'))) {
    const line = Number(m[1] ?? m[2] ?? m[3]);
    if (line > 0 && !out.includes(line)) out.push(line);
  }
  return out;
}
