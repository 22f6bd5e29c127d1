/**
 * A short summary of a test run for the model: the lines that name failures (with a little
 * context) and the tail where runners print their totals, never the whole log.
 */

const failurePattern =
  /\b(FAIL(ED|URE)?|ERROR|Error|error(\[E\d+\])?:|AssertionError|assert(ion)?|Traceback|panicked|expected|Expected|not ok|Exception|undefined reference|cannot find|No such file)\b|✗|✖|×/;

/** Summary of at most `maxChars` characters. */
export function summarizeTestOutput(stdout: string, stderr: string, options: { passed: boolean; maxChars?: number; tailLines?: number; maxHits?: number } = { passed: false }): string {
  const maxChars = options.maxChars ?? 3000;
  const tailLines = options.tailLines ?? 12;
  const maxHits = options.maxHits ?? 12;
  const lines = `${stdout}\n${stderr}`.split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const keep = new Set<number>();
  const tailStart = Math.max(0, lines.length - tailLines);
  for (let i = tailStart; i < lines.length; i++) keep.add(i);
  if (!options.passed) {
    let hits = 0;
    for (let i = 0; i < tailStart && hits < maxHits; i++) {
      if (!failurePattern.test(lines[i]!)) continue;
      hits++;
      for (let j = Math.max(0, i - 1); j <= Math.min(tailStart - 1, i + 3); j++) keep.add(j);
    }
  }
  const out: string[] = [];
  let last = -1;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (i > last + 1) out.push(`[... ${i - last - 1} lines ...]`);
    out.push(lines[i]!);
    last = i;
  }
  let text = out.join('\n');
  if (text.length > maxChars) text = `[...]\n${text.slice(text.length - maxChars)}`;
  return text;
}
