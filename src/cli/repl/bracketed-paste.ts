/**
 * Bracketed paste. With the mode on (ESC[?2004h), a terminal wraps pasted text in ESC[200~ …
 * ESC[201~; without it, a multi-line paste reaches readline as typed lines, each submitted as an
 * input of its own. `PasteDecoder` drops the markers and turns the line breaks inside a paste
 * into `pasteNewline`, so that readline sees one line: shown with visible ␤ marks, editable, and
 * submitted with Enter as one input (`fromEditorLine` restores the newlines).
 */
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export const enableBracketedPaste = '\x1b[?2004h';
export const disableBracketedPaste = '\x1b[?2004l';
const pasteStart = '\x1b[200~';
const pasteEnd = '\x1b[201~';

/** Stands for a newline inside the line editor (U+2424 SYMBOL FOR NEWLINE). */
export const pasteNewline = '\u2424';

/** The input as the user meant it: a line from the editor with its pasted newlines restored. */
export function fromEditorLine(line: string): string {
  return line.replaceAll(pasteNewline, '\n');
}

/** The line editor's form of an input that has newlines (recalled from history). */
export function toEditorLine(input: string): string {
  return input.replace(/\r\n|\r|\n/g, pasteNewline);
}

/** Rewrites terminal input chunk by chunk; a marker (or a CR LF) split across chunks is held until it completes. */
export class PasteDecoder {
  private pasting = false;
  private held = '';

  write(chunk: string): string {
    let text = this.held + chunk;
    this.held = '';
    let out = '';
    for (;;) {
      const marker = this.pasting ? pasteEnd : pasteStart;
      const at = text.indexOf(marker);
      if (at === -1) break;
      out += this.pass(text.slice(0, at));
      this.pasting = !this.pasting;
      text = text.slice(at + marker.length);
    }
    // A lone Esc waits for the next key too: readline does nothing with Esc until a key follows.
    let keep = unfinishedMarker(text, this.pasting ? pasteEnd : pasteStart);
    if (this.pasting && keep === 0 && text.endsWith('\r')) keep = 1;
    this.held = text.slice(text.length - keep);
    return out + this.pass(text.slice(0, text.length - keep));
  }

  private pass(text: string): string {
    return this.pasting ? toEditorLine(text) : text;
  }
}

/** The length of the longest end of `text` that is a start of `marker`. */
function unfinishedMarker(text: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, text.length); n >= 1; n--) {
    if (text.endsWith(marker.slice(0, n))) return n;
  }
  return 0;
}

/** A terminal input stream as readline uses it. */
export type TerminalInput = NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown; readableEnded?: boolean };

/**
 * A stream for readline that carries `input` through a `PasteDecoder` and passes raw-mode
 * switches back to the terminal. `detach()` stops reading (and pauses `input`), so keys typed
 * while another prompt owns the terminal stay in `input` for whoever reads next.
 */
export function pasteDecodingInput(input: TerminalInput): { stream: TerminalInput; detach(): void } {
  const stream = new PassThrough() as PassThrough & TerminalInput;
  const decoder = new PasteDecoder();
  const utf8 = new StringDecoder('utf8');
  stream.isTTY = input.isTTY;
  Object.defineProperty(stream, 'isRaw', { get: () => input.isRaw });
  if (input.setRawMode) stream.setRawMode = (mode: boolean) => input.setRawMode?.(mode);
  const onData = (chunk: Buffer | string) => {
    const text = decoder.write(typeof chunk === 'string' ? chunk : utf8.write(chunk));
    if (text) stream.write(text);
  };
  const onEnd = () => stream.end();
  input.on('data', onData);
  input.once('end', onEnd);
  input.resume();
  return {
    stream,
    detach: () => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.pause();
    },
  };
}
