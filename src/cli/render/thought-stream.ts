/**
 * Pulls the `thought` string out of an action's JSON while it is still being generated, so the
 * model's reasoning can be shown as it streams. Feed it raw chunks; it returns the newly decoded
 * thought text (possibly empty). Incomplete escapes at a chunk boundary wait for the next chunk.
 */
export class ThoughtStream {
  private raw = '';
  private emitted = 0;
  private closed = false;

  /** Adds generated text; returns thought text not returned before. */
  push(chunk: string): string {
    if (this.closed) return '';
    this.raw += chunk;
    const start = /"thought"\s*:\s*"/.exec(this.raw);
    if (!start) return '';
    const { text, complete } = decodeJsonStringPrefix(this.raw, start.index + start[0].length);
    if (complete) this.closed = true;
    const fresh = text.slice(this.emitted);
    this.emitted = text.length;
    return fresh;
  }

  /** Whether any thought text has been returned. */
  get started(): boolean {
    return this.emitted > 0;
  }

  /** Starts over for the next step. */
  reset(): void {
    this.raw = '';
    this.emitted = 0;
    this.closed = false;
  }
}

const simpleEscapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Decodes a JSON string body starting at `from` up to its closing quote or the end of the text. */
function decodeJsonStringPrefix(raw: string, from: number): { text: string; complete: boolean } {
  let text = '';
  let i = from;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch === '"') return { text, complete: true };
    if (ch !== '\\') {
      text += ch;
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = raw.slice(i + 2, i + 6);
      if (hex.length < 4) break;
      const code = Number.parseInt(hex, 16);
      if (Number.isNaN(code)) break;
      text += String.fromCharCode(code);
      i += 6;
      continue;
    }
    text += simpleEscapes[next] ?? next;
    i += 2;
  }
  return { text, complete: false };
}
