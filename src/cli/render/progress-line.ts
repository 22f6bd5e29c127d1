/** A writable terminal stream, as far as a progress line needs one. */
export interface LineStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** `[#####.....] 50% 5/10` as plain text; `total` 0 shows an empty bar. */
export function formatProgressBar(done: number, total: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total}`;
}

/**
 * A single-line progress bar redrawn in place with `\r` (works in the VS Code terminal). On a
 * stream that is not a TTY it stays silent until `finish`, which always prints one line.
 */
export class ProgressLine {
  private active = false;

  constructor(
    private readonly stream: LineStream,
    private readonly label: string,
  ) {}

  /** Redraws the bar; `note` follows it on the same line. */
  update(done: number, total: number, note?: string): void {
    if (!this.stream.isTTY) return;
    this.stream.write(`\r\x1b[2K${this.label} ${formatProgressBar(done, total)}${note ? ` ${note}` : ''}`);
    this.active = true;
  }

  /** Replaces the bar with a final message. */
  finish(message: string): void {
    this.clear();
    this.stream.write(`${this.label} ${message}\n`);
  }

  /** Erases the bar, if one is drawn, so other output starts on a clean line. */
  clear(): void {
    if (this.active) this.stream.write('\r\x1b[2K');
    this.active = false;
  }

  get drawn(): boolean {
    return this.active;
  }
}
