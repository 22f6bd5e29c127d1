/**
 * How alike two sets of words or tokens are. Pure, and imported by what compares lines or names
 * (extract-function's repeated lines, doc-facts' constant names).
 */

/** The Jaccard index: what the sets share over what either has (0 for two empty sets). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let both = 0;
  for (const t of a) if (b.has(t)) both++;
  return both / (a.size + b.size - both || 1);
}
