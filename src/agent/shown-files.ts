/**
 * Whole files the conversation shows now, with the text they had then. A read of one of them that
 * is still unchanged is answered with a short reminder instead of its lines once more: the lines
 * are already above, and on a CPU every prompt token costs (a 2,400-token file read again took
 * 100 s of a 1.5B model's step on 2 cores, and the model read the same file three times in a row).
 * A file that changed, or a conversation that was compacted (its reads may be gone), reads again;
 * so does a line range (a few lines to look at closely cost little, and the model is on the right
 * file: told "else look at another file", it wandered off to the CLI). In the text protocol the
 * grammar does not let read_file name such a file at all (`WorkspaceView.shown`): the reminder is
 * for the JSON protocol.
 */
import { createHash } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

export class ShownFiles {
  private readonly shown = new Map<string, { digest: string; where: string; lines: number }>();

  /** `path` is shown whole, as `text`, by `where` ("step 3", "the intake"). */
  note(path: string, text: string, where: string): void {
    const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    this.shown.set(path, { digest: digest(text), where, lines });
  }

  /** Where `path` was shown whole, if its text then is `text` now. */
  shownAs(path: string, text: string): { where: string; lines: number } | undefined {
    const entry = this.shown.get(path);
    return entry && entry.digest === digest(text) ? entry : undefined;
  }

  /** The files shown whole whose text is still the same (`read` gives a file's text now; unreadable ones are left out). */
  async unchanged(read: (path: string) => Promise<string>): Promise<Set<string>> {
    const out = new Set<string>();
    for (const [path, entry] of this.shown) {
      try {
        if (digest(await read(path)) === entry.digest) out.add(path);
      } catch {
        // gone or unreadable: not shown as it is
      }
    }
    return out;
  }

  /** Forgets everything: the conversation no longer holds those reads. */
  clear(): void {
    this.shown.clear();
  }
}

/** The observation that answers a read of a file the conversation already shows unchanged; `editTool` when the request asks for a change. */
export function alreadyShownNote(path: string, shown: { where: string; lines: number }, editTool?: string): string {
  const use = editTool
    ? `If the fault is in it, change it now with ${editTool}, copying the lines to change from above.`
    : 'Use those lines (answer from them if they hold the answer).';
  return (
    `[${path} has not changed since ${shown.where} showed all ${shown.lines} lines of it: they are above in this conversation, ` +
    `so it was not read again. ${use} To see part of it again, read a line range.]`
  );
}
