/**
 * The interactive session loop: read a line (with editing and history), run a slash command or
 * a turn of the agent, repeat until /exit, Ctrl-D or Ctrl-C twice at an empty prompt. Ctrl-C
 * during a turn cancels that turn only.
 */
import chalk from 'chalk';
import type { Session } from '../../agent/open-session.ts';
import type { Config } from '../../config/schema.ts';
import type { EventRenderer } from '../render/event-renderer.ts';
import { appendInputHistory, loadInputHistory } from './input-history.ts';
import { LineReader } from './line-reader.ts';
import { modelCommands, runSlashCommand, type HistoryEntry, type SlashContext } from './slash-dispatch.ts';
import { isSlashLine, parseSlashCommand } from './slash-commands.ts';
import { createTerminalPrompt } from './slash-prompt.ts';
import type { TurnControl } from './turn-control.ts';

export interface SessionLoopOptions {
  session: Session;
  config: Config;
  root: string;
  renderer: EventRenderer;
  turns: TurnControl;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/** Turns already in the session log (a resumed session), for `/history`. */
export function historyFromLog(entries: object[]): HistoryEntry[] {
  const history: HistoryEntry[] = [];
  for (const raw of entries) {
    const entry = raw as Record<string, unknown>;
    if (entry.type === 'user' && typeof entry.text === 'string') history.push({ input: entry.text });
    const last = history.at(-1);
    if (entry.type === 'result' && last && last.status === undefined) {
      last.status = entry.status as HistoryEntry['status'];
      last.steps = typeof entry.steps === 'number' ? entry.steps : undefined;
      last.text = typeof entry.text === 'string' ? entry.text : undefined;
    }
  }
  return history;
}

/** Runs the session until the person leaves. Does not dispose the session. */
export async function runSessionLoop(options: SessionLoopOptions): Promise<void> {
  const { session, root, renderer, output } = options;
  const history = historyFromLog(session.log.read());
  const reader = new LineReader({
    input: options.input,
    output,
    history: loadInputHistory(root),
    exitHint: chalk.dim('(press Ctrl-C again to exit, or type /exit)'),
  });
  const slashContext: SlashContext = {
    agent: session.agent,
    workspace: session.workspace,
    ...(session.index ? { index: session.index } : {}),
    model: session.model,
    config: options.config,
    ...(session.sandbox ? { sandbox: session.sandbox } : {}),
    sandboxReason: session.sandboxReason,
    ...(session.mcp ? { mcp: session.mcp } : {}),
    indexStatus: () => renderer.indexStatus(),
    history,
    ...(session.git ? { git: session.git } : {}),
    ...(session.gitProblem ? { gitProblem: session.gitProblem } : {}),
    // a question needs the terminal: the line reader lets it go first (it takes it back at the next prompt)
    prompt: createTerminalPrompt({ input: options.input, output, beforeQuestion: () => reader.release() }),
  };

  try {
    await readAndRun(reader, history, slashContext, options);
  } finally {
    reader.release();
  }
}

async function readAndRun(reader: LineReader, history: HistoryEntry[], slashContext: SlashContext, options: SessionLoopOptions): Promise<void> {
  const { session, root, renderer, turns, output } = options;
  for (;;) {
    renderer.promptActive = true;
    const read = await reader.read(chalk.bold.green('› '));
    renderer.promptActive = false;
    if (read.kind === 'exit') return;
    const text = read.text.trim();
    if (!text) continue;
    appendInputHistory(root, text);

    if (isSlashLine(text)) {
      const parsed = parseSlashCommand(text);
      if (!parsed.ok) {
        output.write(chalk.yellow(parsed.message) + '\n');
        continue;
      }
      const callsModel = modelCommands.has(parsed.command.name);
      if (callsModel) reader.release();
      const signal = callsModel ? turns.begin() : undefined;
      try {
        const outcome = await runSlashCommand(parsed.command, slashContext, signal);
        if (outcome.text) output.write(outcome.text + '\n');
        if (outcome.exit) return;
      } catch (error) {
        output.write(chalk.red(`/${parsed.command.name} failed: ${(error as Error)?.message ?? String(error)}`) + '\n');
      } finally {
        if (callsModel) turns.end();
      }
      continue;
    }

    const entry: HistoryEntry = { input: text };
    history.push(entry);
    session.git?.noteRequest(text);
    reader.release();
    await runOneTurn(session, text, turns, renderer, output, entry);
  }
}

async function runOneTurn(
  session: Session,
  text: string,
  turns: TurnControl,
  renderer: EventRenderer,
  output: NodeJS.WritableStream,
  entry: HistoryEntry,
): Promise<void> {
  const signal = turns.begin();
  const onSigint = () => {
    turns.cancel();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await session.agent.runTurn(text, signal);
    entry.status = result.status;
    entry.steps = result.steps;
    entry.text = result.text;
  } catch (error) {
    renderer.endThought();
    output.write(chalk.red(`The turn failed: ${(error as Error)?.message ?? String(error)}`) + '\n');
  } finally {
    process.removeListener('SIGINT', onSigint);
    turns.end();
    renderer.endThought();
  }
}
