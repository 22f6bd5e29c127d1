/**
 * Rebuilding a session from its log: the entries the agent writes (besides the AgentEvents) and
 * the replay that turns a log back into the conversation history and pinned files.
 */
import type { Action } from '../model/language-model.ts';
import type { HistoryEntry } from './context.ts';

/** Log entries that are not AgentEvents: the session header and history edits. */
export type SessionLogMarker =
  | { type: 'session'; id: string; root: string; model: string; backend: string; contextSize: number; resumed?: boolean }
  | { type: 'pin'; path: string }
  | { type: 'unpin'; path: string }
  | { type: 'clear' };

/** What a log replays to. */
export interface ReplayedSession {
  history: HistoryEntry[];
  pinned: string[];
  turns: number;
}

/**
 * The history as the model saw it at the end of the log: user messages, actions, observations
 * (as stored in `modelText`), with `/add`, `/drop` and `/clear` applied in order.
 */
export function replaySessionLog(entries: object[]): ReplayedSession {
  let history: HistoryEntry[] = [];
  const pinned = new Set<string>();
  let turns = 0;
  for (const raw of entries) {
    const entry = raw as { type?: unknown } & Record<string, unknown>;
    switch (entry.type) {
      case 'user':
        if (typeof entry.text === 'string') {
          history.push({ kind: 'user', text: entry.text });
          turns++;
        }
        break;
      case 'action':
        if (isAction(entry.action)) history.push({ kind: 'action', action: entry.action });
        break;
      case 'observation':
        if (typeof entry.tool === 'string' && typeof entry.modelText === 'string')
          history.push({ kind: 'observation', tool: entry.tool, text: entry.modelText });
        break;
      case 'intake':
        if (isAction(entry.action) && typeof entry.modelText === 'string') {
          history.push({ kind: 'action', action: entry.action }, { kind: 'observation', tool: entry.action.tool, text: entry.modelText });
        }
        break;
      case 'pin':
        if (typeof entry.path === 'string') pinned.add(entry.path);
        break;
      case 'unpin':
        if (typeof entry.path === 'string') pinned.delete(entry.path);
        break;
      case 'clear':
        history = [];
        break;
      default:
        break;
    }
  }
  return { history, pinned: [...pinned], turns };
}

function isAction(value: unknown): value is Action {
  const v = value as Action | undefined;
  return !!v && typeof v.tool === 'string' && typeof v.thought === 'string' && !!v.args && typeof v.args === 'object';
}
