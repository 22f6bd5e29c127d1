/** Line counts of a unified diff. Pure, shared by the tools' results and the terminal's diff view. */

/** Counts added and removed lines of a unified diff (the `---`/`+++` headers excluded). */
export function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith('+')) added++;
    else if (line.startsWith('-')) removed++;
  }
  return { added, removed };
}
