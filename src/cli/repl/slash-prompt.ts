/**
 * The questions a slash command may ask the person (`/commit` reviews a drafted message, `/undo`
 * confirms restoring a committed change): a contract the commands use, and its terminal form on
 * @inquirer/prompts. Tests give a scripted one.
 */
import { PassThrough } from 'node:stream';
import { confirm as confirmPrompt, input as inputPrompt, select } from '@inquirer/prompts';
import chalk from 'chalk';
import { openInEditor } from '../approval-prompt.ts';

/** The person pressed Ctrl-C (or Esc) at a question: the command stops and changes nothing. */
export class PromptCancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'PromptCancelled';
  }
}

/** What a slash command may ask. Every method rejects with PromptCancelled on Ctrl-C. */
export interface SlashPrompt {
  /** Shows text above the next question. */
  print(text: string): void;
  /** Yes or no; Enter gives `defaultYes`. */
  confirm(message: string, defaultYes: boolean): Promise<boolean>;
  /** One of `choices` (the first is the default). */
  choose<T extends string>(message: string, choices: Array<{ value: T; name: string }>): Promise<T>;
  /** One line of text, with `initial` already typed in to edit. */
  line(message: string, initial: string): Promise<string>;
  /** `text` edited in $VISUAL / $EDITOR as a file named `fileName`; null when the editor failed (said with `print`). */
  editor(text: string, fileName: string): Promise<string | null>;
}

export interface TerminalPromptOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Editor command line; default `$VISUAL`, then `$EDITOR`, then `vi`. */
  editor?: string;
  /** Called before each question (and the editor): whoever holds the terminal lets it go. */
  beforeQuestion?: () => void;
}

/** The SlashPrompt of a person at a terminal. */
export function createTerminalPrompt(options: TerminalPromptOptions = {}): SlashPrompt {
  const output = options.output ?? process.stdout;
  // Each inquirer prompt ends its output stream when done; give it a pipe that never ends ours.
  const context = () => {
    const sink = new PassThrough();
    sink.pipe(output, { end: false });
    return { input: options.input ?? process.stdin, output: sink };
  };
  const asked = async <T>(question: () => Promise<T>): Promise<T> => {
    options.beforeQuestion?.();
    try {
      return await question();
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new PromptCancelled();
      throw error;
    }
  };
  return {
    print: (text) => output.write(`${text}\n`),
    confirm: (message, defaultYes) => asked(() => confirmPrompt({ message, default: defaultYes }, context())),
    choose: (message, choices) => asked(() => select({ message, choices }, context())),
    line: (message, initial) => asked(() => inputPrompt({ message, default: initial, prefill: 'editable' }, context())),
    editor: async (text, fileName) => {
      options.beforeQuestion?.();
      const edited = openInEditor(text, fileName, options.editor ?? (process.env.VISUAL || process.env.EDITOR || 'vi'));
      if (edited.error) output.write(chalk.red(`${edited.error}\n`));
      return edited.text;
    },
  };
}
