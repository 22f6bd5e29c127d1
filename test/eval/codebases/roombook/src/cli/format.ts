/**
 * Terminal output: aligned plain-text tables and human-friendly times and durations.
 */

/** One column of a table: a heading and how to get the cell text from a row. */
export interface Column<T> {
  heading: string;
  cell: (row: T) => string;
  /** Right-align (for numbers). */
  alignRight?: boolean;
}

/**
 * Lays rows out as a table with a heading line and columns padded to their widest cell. Cells are
 * separated by two spaces; trailing spaces are trimmed.
 *
 * @returns The table, ending with a newline; or `emptyText` plus newline when there are no rows.
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], emptyText = '(none)'): string {
  if (rows.length === 0) return `${emptyText}\n`;
  const cells = rows.map((row) => columns.map((c) => c.cell(row).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) => Math.max(c.heading.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i].alignRight ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.heading)), ...cells.map(line)].join('\n')}\n`;
}

/**
 * A duration in minutes as people say it: `45m`, `1h`, `2h 30m`, `1d 2h`.
 */
export function formatDuration(minutes: number): string {
  if (minutes < 0) return `-${formatDuration(-minutes)}`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = Math.round(minutes % 60);
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', mins ? `${mins}m` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0m';
}

/**
 * A span of time on one line: `2030-04-02 09:30–10:30` when both ends fall on the same UTC day,
 * otherwise both ends in full.
 */
export function formatSpan(startIso: string, endIso: string): string {
  const [startDate, startTime] = splitIso(startIso);
  const [endDate, endTime] = splitIso(endIso);
  return startDate === endDate ? `${startDate} ${startTime}–${endTime}` : `${startDate} ${startTime} – ${endDate} ${endTime}`;
}

/** Shortens text to `max` characters, ending with `…` when it was cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function splitIso(iso: string): [string, string] {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return [iso, ''];
  const text = date.toISOString();
  return [text.slice(0, 10), text.slice(11, 16)];
}
