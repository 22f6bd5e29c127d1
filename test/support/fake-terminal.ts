import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

/**
 * A fake terminal for prompt and line-editing tests: keys go in, the screen text comes out.
 * `waitFor` waits on text appearing after the previous match, never on time.
 */
export function fakeTerminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  let raw = '';
  let consumed = 0;
  const waiters: Array<() => void> = [];
  output.on('data', (chunk: Buffer) => {
    raw += chunk.toString();
    screen += stripVTControlCharacters(chunk.toString());
    for (const w of waiters.splice(0)) w();
  });
  /** Resolves when `text` appears after the previous match. */
  const waitFor = (text: string): Promise<void> =>
    new Promise((resolve) => {
      const check = () => {
        const at = screen.indexOf(text, consumed);
        if (at === -1) return void waiters.push(check);
        consumed = at + text.length;
        resolve();
      };
      check();
    });
  /** One write per argument: readline treats a chunk ending in Enter as pasted text. */
  const keys = (...sequence: string[]) => {
    for (const key of sequence) input.write(key);
  };
  /** Everything written, control sequences included. */
  const written = () => raw;
  return { input, output, waitFor, keys, screen: () => screen, raw: written };
}
