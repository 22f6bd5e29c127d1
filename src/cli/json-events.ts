/**
 * `--json`: newline-delimited JSON on stdout, one AgentEvent per line (token events left out),
 * then one `done` line with the outcome. Human-readable text goes to stderr in this mode.
 */
import type { AgentEvent } from '../agent/events.ts';

/** The last line of a `--json` stream. */
export interface JsonDoneEvent {
  type: 'done';
  exitCode: number;
  success: boolean;
  /** `assist run`: the task folder written. */
  outputDir?: string;
  sessionId?: string;
}

/** What a `--json` line holds. */
export type JsonStreamEvent = AgentEvent | JsonDoneEvent;

/** A writer of JSON lines; `token` events are skipped unless `tokens` is set. */
export function jsonEventWriter(
  write: (line: string) => void = (line) => process.stdout.write(line),
  options: { tokens?: boolean } = {},
): (event: JsonStreamEvent) => void {
  return (event) => {
    if (event.type === 'token' && !options.tokens) return;
    write(JSON.stringify(event) + '\n');
  };
}
