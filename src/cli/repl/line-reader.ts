/**
 * Reads lines from the terminal with node:readline: line editing, arrow-key history (persisted by
 * the caller), the Ctrl-C rules of `PromptInterrupts`, and bracketed paste (a multi-line paste is
 * one input; see bracketed-paste.ts). One readline interface serves every read until
 * `release()`, so keys typed while a slash command runs are kept (lines typed ahead are queued).
 * Before a turn the caller releases the terminal: the interface is closed, bracketed paste is off
 * and the terminal is back in normal mode, so Ctrl-C is a signal and an approval prompt can own
 * stdin.
 */
import readline from 'node:readline';
import { disableBracketedPaste, enableBracketedPaste, fromEditorLine, pasteDecodingInput, toEditorLine, type TerminalInput } from './bracketed-paste.ts';
import { PromptInterrupts } from './interrupt.ts';

/** What reading a line gave. */
export type LineResult = { kind: 'line'; text: string } | { kind: 'exit'; reason: 'eof' | 'interrupt' };

export interface LineReaderOptions {
  input: TerminalInput;
  output: NodeJS.WritableStream;
  /** Past inputs, most recent first (they may hold newlines). Lines read are added to it. */
  history: string[];
  historySize?: number;
  /** Printed when Ctrl-C is pressed once at an empty prompt. */
  exitHint?: string;
}

export class LineReader {
  private readonly interrupts = new PromptInterrupts();
  private rl: readline.Interface | undefined;
  private terminal: { stream: TerminalInput; detach(): void } | undefined;
  private readonly queued: LineResult[] = [];
  private waiting: ((result: LineResult) => void) | undefined;
  private ended = false;

  constructor(private readonly options: LineReaderOptions) {}

  /** Shows `prompt` and resolves with the next line, or `exit` on Ctrl-D / double Ctrl-C. */
  read(prompt: string): Promise<LineResult> {
    const next = this.queued.shift();
    if (next) return Promise.resolve(next);
    if (this.ended || this.options.input.readableEnded) return Promise.resolve({ kind: 'exit', reason: 'eof' });
    this.interrupts.reset();
    const rl = this.rl ?? this.open();
    rl.setPrompt(prompt);
    rl.prompt(true);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Closes the readline interface (keeping queued lines) and puts the terminal in normal mode. */
  release(): void {
    const rl = this.rl;
    this.rl = undefined;
    if (rl) {
      rl.removeAllListeners('line');
      rl.removeAllListeners('SIGINT');
      rl.removeListener('close', this.onClose);
      rl.close();
    }
    this.detach();
    if (this.options.input.isTTY) this.options.input.setRawMode?.(false);
  }

  private detach(): void {
    if (!this.terminal) return;
    this.terminal.stream.removeListener('keypress', this.onKeypress);
    this.terminal.detach();
    this.terminal = undefined;
    this.options.output.write(disableBracketedPaste);
    process.removeListener('exit', this.onExit);
  }

  /** Exiting while reading (process.exit, an uncaught error) must not leave the shell with bracketed paste on: its pastes would show the markers. */
  private readonly onExit = (): void => {
    this.options.output.write(disableBracketedPaste);
  };

  private deliver(result: LineResult): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(result);
    else this.queued.push(result);
  }

  private readonly onKeypress = (_: unknown, key?: { ctrl?: boolean; name?: string }): void => {
    if (!(key?.ctrl && key.name === 'c')) this.interrupts.reset();
  };

  private readonly onClose = (): void => {
    this.detach();
    this.rl = undefined;
    this.ended = true;
    this.options.output.write('\n');
    this.deliver({ kind: 'exit', reason: 'eof' });
  };

  private open(): readline.Interface {
    const { output, history } = this.options;
    this.terminal = pasteDecodingInput(this.options.input);
    const input = this.terminal.stream;
    output.write(enableBracketedPaste);
    process.on('exit', this.onExit);
    const rl = readline.createInterface({
      input,
      output,
      terminal: true,
      history: history.map(toEditorLine),
      historySize: this.options.historySize ?? 500,
      removeHistoryDuplicates: true,
    });
    this.rl = rl;
    input.on('keypress', this.onKeypress);
    rl.on('line', (line) => {
      this.interrupts.reset();
      const text = fromEditorLine(line);
      if (text.trim()) {
        const i = history.indexOf(text);
        if (i !== -1) history.splice(i, 1);
        history.unshift(text);
      }
      this.deliver({ kind: 'line', text });
    });
    rl.on('SIGINT', () => {
      switch (this.interrupts.press(rl.line)) {
        case 'clear-line':
          output.write('^C\n');
          rl.write(null, { ctrl: true, name: 'e' });
          rl.write(null, { ctrl: true, name: 'u' });
          return;
        case 'warn':
          output.write(`\n${this.options.exitHint ?? '(press Ctrl-C again to exit)'}\n`);
          rl.prompt();
          return;
        case 'exit':
          output.write('\n');
          this.deliver({ kind: 'exit', reason: 'interrupt' });
          return;
      }
    });
    rl.on('close', this.onClose);
    return rl;
  }
}
