/**
 * Builds the messages for one model step within the model's real context size, counted with the
 * model's own tokenizer. Order (stable first, so the engine reuses its KV cache turn to turn):
 * system prompt + tool descriptions + project instructions, then the repo map and pinned files,
 * then the history. When the history does not fit, older observations are compacted, then the
 * oldest exchanges are dropped (with a note), then the newest observation is cut. A prompt that
 * still does not fit is a `context_overflow` ModelError: never sent, never truncated silently.
 */
import { ModelError, type Action, type ChatMessage } from '../model/language-model.ts';

/** One item of the conversation as the agent keeps it. */
export type HistoryEntry =
  /** `note`: written by the agent (e.g. "messages omitted"), not by the user. */
  { kind: 'user'; text: string; note?: boolean } | { kind: 'action'; action: Action } | { kind: 'observation'; tool: string; text: string };

/** Tokens the chat template adds around each message (role markers), on top of the content. */
export const messageOverheadTokens = 8;

export interface ContextInput {
  countTokens(text: string): number;
  contextSize: number;
  /** Tokens kept free for the generated action. */
  reserveTokens: number;
  /** System prompt + tool descriptions + project instructions: identical every step of a session. */
  stablePrefix: string;
  /** Repo map and pinned files (stable within a turn); dropped before the prompt overflows. */
  projectContext?: string;
  history: HistoryEntry[];
  /** A note appended to the last user-side message (e.g. "this is your last step"). */
  finalNote?: string;
  /** How an action is written in the protocol the model uses (default: JSON). */
  renderAction?: (action: Action) => string;
}

export interface BuiltContext {
  messages: ChatMessage[];
  promptTokens: number;
  /** Prompt tokens allowed: context size minus the reserve for generation. */
  budget: number;
  /** How many history entries were compacted, cut or dropped to fit. */
  compacted: number;
}

/** The text an observation is shown with. */
export function observationText(tool: string, text: string): string {
  return `Observation (${tool}):\n${text}`;
}

/** The text the model sees for one history entry. */
export function entryText(entry: HistoryEntry, renderAction: (action: Action) => string = (a) => JSON.stringify(a)): string {
  switch (entry.kind) {
    case 'user':
      return entry.text;
    case 'action':
      return renderAction(entry.action);
    case 'observation':
      return observationText(entry.tool, entry.text);
    default:
      return entry satisfies never;
  }
}

function entryRole(entry: HistoryEntry): ChatMessage['role'] {
  return entry.kind === 'action' ? 'assistant' : 'user';
}

/** The first lines of `text` that fit in `maxTokens` ('' when not even one does). */
export function headWithin(text: string, maxTokens: number, countTokens: (t: string) => number): string {
  if (countTokens(text) <= maxTokens) return text;
  const lines = text.split('\n');
  let low = 0;
  let high = lines.length;
  // (the most lines that fit: a binary search over the count)
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (countTokens(`${lines.slice(0, mid).join('\n')}\n`) <= maxTokens) low = mid;
    else high = mid - 1;
  }
  return low ? `${lines.slice(0, low).join('\n')}\n` : '';
}

/**
 * Cuts `text` to at most `maxTokens`, keeping the head and the tail (where errors and test
 * summaries usually are) and saying in the middle what was cut and how to see it.
 */
export function cutToTokens(
  text: string,
  maxTokens: number,
  countTokens: (t: string) => number,
  hint = 'Ask for a smaller part (a line range, a narrower search, less output) to see it.',
): string {
  if (countTokens(text) <= maxTokens) return text;
  let keep = Math.min(text.length, Math.max(0, maxTokens * 3));
  for (let i = 0; i < 12; i++) {
    const head = text.slice(0, Math.floor(keep * 0.6));
    const tail = keep - head.length > 0 ? text.slice(text.length - (keep - head.length)) : '';
    const cutChars = text.length - head.length - tail.length;
    const cutLines = text.slice(head.length, text.length - tail.length).split('\n').length - 1;
    const note = `\n[... ${cutChars} characters (${cutLines} lines) cut here to fit the context. ${hint}]\n`;
    const candidate = head + note + tail;
    if (countTokens(candidate) <= maxTokens || keep === 0) return keep === 0 ? note.trim() : candidate;
    keep = Math.floor(keep * 0.7);
  }
  return `[${text.length} characters cut to fit the context. ${hint}]`;
}

/** Builds the prompt, compacting and dropping history as needed. Throws ModelError('context_overflow'). */
export function buildContext(input: ContextInput): BuiltContext {
  const count = memoCount(input.countTokens);
  const budget = input.contextSize - input.reserveTokens - 16;
  const prefixTokens = count(input.stablePrefix) + messageOverheadTokens;
  if (prefixTokens > budget) {
    throw new ModelError(
      'context_overflow',
      `The system prompt and tool descriptions need ${prefixTokens} tokens, but the context holds only ${budget} after reserving ` +
        `${input.reserveTokens} for the reply. Use a larger context (model.contextSize), a smaller model.maxTokens, or shorter project instructions.`,
    );
  }
  const history = input.history.map((entry) => ({ ...entry }));
  let compacted = 0;
  let projectContext = input.projectContext;

  const render = (): ChatMessage[] => {
    const messages: ChatMessage[] = [
      projectContext
        ? { role: 'system', content: `${input.stablePrefix}\n\n${projectContext}`, sharedChars: input.stablePrefix.length }
        : { role: 'system', content: input.stablePrefix },
    ];
    for (const entry of history) {
      const role = entryRole(entry);
      const content = entryText(entry, input.renderAction);
      const last = messages[messages.length - 1];
      if (last.role === role && role !== 'system') last.content += `\n\n${content}`;
      else messages.push({ role, content });
    }
    if (input.finalNote) {
      const last = messages[messages.length - 1];
      if (last.role === 'user') last.content += `\n\n${input.finalNote}`;
      else messages.push({ role: 'user', content: input.finalNote });
    }
    return messages;
  };
  const total = (messages: ChatMessage[]): number => messages.reduce((n, m) => n + count(m.content) + messageOverheadTokens, 0);

  let messages = render();
  let tokens = total(messages);

  // 1. Compact older observations and the long strings of older actions (all but the two newest entries), oldest first.
  for (let i = 0; i < history.length - 2 && tokens > budget; i++) {
    const entry = history[i];
    if (entry.kind === 'observation') {
      if (entry.text.startsWith('[compacted')) continue;
      entry.text = `[compacted: an older ${entry.tool} result of ${entry.text.length} characters. Call the tool again if you need it.]`;
    } else if (entry.kind === 'action') {
      const shrunk = shrinkAction(entry.action, 160);
      if (shrunk === entry.action) continue;
      entry.action = shrunk;
    } else continue;
    compacted++;
    messages = render();
    tokens = total(messages);
  }
  // 2. Drop the oldest entries: earlier turns first, then the oldest steps of this turn (keeping its request).
  let dropped = 0;
  while (tokens > budget) {
    const start = history[0]?.kind === 'user' && history[0].note ? 1 : 0;
    const turnStart = findLastIndex(history, (e) => e.kind === 'user' && !e.note);
    let removeAt: number;
    let removeCount = 1;
    if (turnStart > start) removeAt = start;
    else if (turnStart >= 0 && history.length - (turnStart + 1) > 2) {
      removeAt = turnStart + 1;
      removeCount = history[removeAt].kind === 'action' && history[removeAt + 1]?.kind === 'observation' ? 2 : 1;
    } else break;
    history.splice(removeAt, removeCount);
    dropped += removeCount;
    compacted += removeCount;
    const note: HistoryEntry = { kind: 'user', note: true, text: `[earlier conversation: ${dropped} messages omitted to fit the context]` };
    if (start === 1) history[0] = note;
    else history.unshift(note);
    messages = render();
    tokens = total(messages);
  }
  // 3. Cut the remaining observations and action strings to what is left.
  for (let i = 0; i < history.length && tokens > budget; i++) {
    const entry = history[i];
    if (entry.kind === 'observation') {
      const own = count(observationText(entry.tool, entry.text));
      const allowed = Math.max(32, own - (tokens - budget) - 32);
      entry.text = cutToTokens(entry.text, allowed, count);
    } else if (entry.kind === 'action') {
      const shrunk = shrinkAction(entry.action, 48);
      if (shrunk === entry.action) continue;
      entry.action = shrunk;
    } else continue;
    compacted++;
    messages = render();
    tokens = total(messages);
  }
  // 4. Give up the repo map and pinned files before giving up.
  if (tokens > budget && projectContext) {
    projectContext = '[The repo map and pinned files were left out: the conversation fills the context. Use /clear to start fresh.]';
    compacted++;
    messages = render();
    tokens = total(messages);
  }
  if (tokens > budget) {
    throw new ModelError(
      'context_overflow',
      `The prompt needs ${tokens} tokens even after compacting the history, but the context holds ${budget} after reserving ${input.reserveTokens} ` +
        `for the reply. Shorten the request, /clear the conversation, or use a larger context (model.contextSize).`,
    );
  }
  return { messages, promptTokens: tokens, budget, compacted };
}

/** The action with every string longer than `maxChars` cut (with a note); the same object when nothing is cut. */
export function shrinkAction(action: Action, maxChars: number): Action {
  let changed = false;
  const shrink = (value: unknown): unknown => {
    if (typeof value === 'string' && value.length > maxChars) {
      changed = true;
      return `${value.slice(0, maxChars)}…[${value.length - maxChars} more characters not shown]`;
    }
    if (Array.isArray(value)) return value.map(shrink);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shrink(v)]));
    return value;
  };
  const next = { thought: shrink(action.thought) as string, tool: action.tool, args: shrink(action.args) as Record<string, unknown> };
  return changed ? next : action;
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

function memoCount(countTokens: (text: string) => number): (text: string) => number {
  const cache = new Map<string, number>();
  return (text) => {
    let n = cache.get(text);
    if (n === undefined) {
      n = countTokens(text);
      if (cache.size > 2000) cache.clear();
      cache.set(text, n);
    }
    return n;
  };
}
