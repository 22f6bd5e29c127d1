/** Imports added to Go source where gofmt would put them, and imports taken out of it. */
import { escapeRegex } from '../../workspace/search-query.ts';

/**
 * Go source `text` with `paths` imported: into its `import (…)` group, else a group made of its single
 * `import "…"` line, else a new line after the package clause.
 */
export function withGoImports(text: string, paths: readonly string[]): string {
  const lines = text.split('\n');
  const wanted = paths.filter((p) => !lines.some((l) => new RegExp(`^\\s*(import\\s+)?([\\w.]+\\s+)?"${escapeRegex(p)}"`).test(l)));
  if (wanted.length === 0) return text;
  const group = lines.findIndex((l) => /^import\s*\(\s*$/.test(l));
  if (group >= 0) {
    lines.splice(group + 1, 0, ...wanted.map((p) => `\t"${p}"`));
    return lines.join('\n');
  }
  const single = lines.findIndex((l) => /^import\s+"[^"]+"\s*$/.test(l));
  if (single >= 0) {
    const own = /"[^"]+"/.exec(lines[single])![0];
    lines.splice(single, 1, 'import (', ...wanted.map((p) => `\t"${p}"`), `\t${own}`, ')');
    return lines.join('\n');
  }
  const pkg = lines.findIndex((l) => /^package\s+\w+/.test(l));
  if (pkg < 0) return text;
  lines.splice(pkg + 1, 0, '', ...(wanted.length === 1 ? [`import "${wanted[0]}"`] : ['import (', ...wanted.map((p) => `\t"${p}"`), ')']));
  return lines.join('\n');
}

/** Go source `text` without the import lines (1-based) of the given paths; an import group left empty goes too. */
export function withoutGoImports(text: string, unused: ReadonlyArray<{ line: number; path: string }>): string {
  const lines = text.split('\n');
  const drop = new Set<number>();
  for (const { line, path: imported } of unused) {
    const at = line - 1;
    const quoted = escapeRegex(`"${imported}"`);
    // `import "fmt"`, or a line of a group: `"fmt"`, `f "fmt"`, `_ "embed"`, each with an optional comment
    if (new RegExp(`^(import\\s+)?([\\w.]+\\s+)?${quoted}\\s*(//.*)?$`).test(lines[at]?.trim() ?? '')) drop.add(at);
  }
  const kept = lines.filter((_, i) => !drop.has(i));
  const out: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    if (/^import\s*\(\s*$/.test(kept[i]) && /^\s*\)\s*$/.test(kept[i + 1] ?? '')) {
      i++;
      if (out.at(-1) === '' && (kept[i + 1] ?? '') === '') i++;
      continue;
    }
    out.push(kept[i]);
  }
  return out.join('\n');
}
