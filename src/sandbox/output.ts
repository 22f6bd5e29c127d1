/**
 * Capped capture of a run's stdout/stderr: keeps the head and the tail of a stream up to a byte
 * limit, counts what was dropped, and says so in the text.
 */
export class CappedOutput {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  /** `limitBytes` is split: three quarters for the head, one quarter for the tail. */
  constructor(readonly limitBytes: number) {
    this.headLimit = Math.floor((limitBytes * 3) / 4);
    this.tailLimit = limitBytes - this.headLimit;
  }

  /** Bytes of output seen in total (kept and dropped). */
  get totalBytes(): number {
    return this.headBytes + this.tailBytes + this.dropped;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  write(chunk: Buffer | string): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(buf.length, this.headLimit - this.headBytes);
      this.head.push(buf.subarray(0, take));
      this.headBytes += take;
      buf = buf.subarray(take);
    }
    if (buf.length === 0) return;
    this.tail.push(buf);
    this.tailBytes += buf.length;
    // Drop from the front of the tail until it fits again.
    while (this.tailBytes > this.tailLimit && this.tail.length > 0) {
      const first = this.tail[0]!;
      const excess = this.tailBytes - this.tailLimit;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  /** The kept text; when bytes were dropped, a note in the middle says how many and why. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    if (!this.truncated) return head + tail;
    const note =
      `\n[... output truncated: ${this.dropped} of ${this.totalBytes} bytes not shown (limit ${this.limitBytes} bytes: first and last ` + `parts kept) ...]\n`;
    return head + note + tail;
  }
}
