/**
 * What Ctrl-C does at the prompt: with text typed, it clears the line; at an empty prompt, the
 * first press warns and a second consecutive press exits. Any other input disarms the exit.
 */
export type PromptInterruptAction = 'clear-line' | 'warn' | 'exit';

export class PromptInterrupts {
  private armed = false;

  /** Ctrl-C was pressed with `line` typed. */
  press(line: string): PromptInterruptAction {
    if (line.length > 0) {
      this.armed = false;
      return 'clear-line';
    }
    if (this.armed) return 'exit';
    this.armed = true;
    return 'warn';
  }

  /** The user typed something or submitted a line. */
  reset(): void {
    this.armed = false;
  }
}
