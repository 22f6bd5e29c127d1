/**
 * Edit distance between two strings, for "did you mean" suggestions and the closest line of a
 * failed edit. Pure, and imported by every part that suggests (workspace, index, cli).
 */

export interface EditDistanceOptions {
  /** Stop once the distance cannot be below this; the result is then `limit`. */
  limit?: number;
  /** Count swapping two adjacent characters as one edit (optimal string alignment): "mpa" is 1 from "map". */
  transpositions?: boolean;
}

/** Levenshtein distance (insertions, deletions, substitutions), or optimal string alignment with `transpositions`. */
export function editDistance(a: string, b: string, options: EditDistanceOptions = {}): number {
  if (a === b) return 0;
  const limit = options.limit ?? Infinity;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (options.transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, beforePrevious[j - 2] + 1);
      current[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= limit) return limit;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}
