/**
 * Slash commands of the interactive session: the registry, and parsing a typed line into a
 * command value. Pure: no terminal, no session; `slash-dispatch.ts` runs the parsed command.
 */
import { editDistance } from '../../text/edit-distance.ts';
import { approvalModes, settings, type ApprovalMode } from '../../config/schema.ts';
import { parsePositiveInteger, positiveIntegerRange } from '../positive-integer.ts';

/** A parsed slash command. */
export type SlashCommand =
  | { name: 'help' }
  | { name: 'add'; paths: string[] }
  | { name: 'drop'; paths: string[] }
  | { name: 'map' }
  | { name: 'diff' }
  | { name: 'undo' }
  /** `message` null: the model drafts one. */
  | { name: 'commit'; message: string | null }
  | { name: 'model' }
  | { name: 'mcp' }
  | { name: 'mode'; mode: ApprovalMode | null }
  | { name: 'attempts'; count: number | null }
  | { name: 'steps'; count: number | null }
  | { name: 'clear' }
  | { name: 'history' }
  | { name: 'exit' };

export type SlashCommandName = SlashCommand['name'];

interface SlashCommandSpec {
  usage: string;
  summary: string;
}

/** Every command with its usage line and one-line summary (what `/help` prints). */
export const slashCommands = {
  help: { usage: '/help', summary: 'list these commands' },
  add: { usage: '/add FILE...', summary: 'pin files: their full text stays in the context' },
  drop: { usage: '/drop FILE...', summary: 'unpin files (/drop with no file lists pinned files)' },
  map: { usage: '/map', summary: 'show the repo map the model sees' },
  diff: { usage: '/diff', summary: 'show everything this session changed, as one diff against its start' },
  undo: { usage: '/undo', summary: 'restore the files of the last applied change set' },
  commit: { usage: '/commit [MESSAGE]', summary: "git: commit this session's changes (no message: the model drafts one for you to edit)" },
  model: { usage: '/model', summary: 'show the model, context size, sandbox and index' },
  mcp: { usage: '/mcp', summary: 'MCP servers: their state and their tools' },
  mode: { usage: `/mode ${approvalModes.join('|')}`, summary: 'show or set the approval mode' },
  attempts: { usage: '/attempts N', summary: 'show or set the failed runs allowed per turn' },
  steps: { usage: '/steps N', summary: 'show or set the model steps allowed per turn' },
  clear: { usage: '/clear', summary: 'forget the conversation so far (pinned files stay)' },
  history: { usage: '/history', summary: "this session's inputs and how each turn ended" },
  exit: { usage: '/exit', summary: 'end the session (also /quit, Ctrl-D, Ctrl-C twice)' },
} as const satisfies Record<SlashCommandName, SlashCommandSpec>;

const aliases: Record<string, SlashCommandName> = { quit: 'exit', q: 'exit', '?': 'help', h: 'help' };

/** The outcome of parsing a slash line: a command, or a message saying what to type instead. */
export type SlashParse = { ok: true; command: SlashCommand } | { ok: false; message: string };

/** Whether a typed line is a slash command (as opposed to a task for the model). */
export function isSlashLine(line: string): boolean {
  return /^\/[A-Za-z?]/.test(line.trim());
}

/** Parses `/name args...`. Unknown names and bad arguments give a hint, never an exception. */
export function parseSlashCommand(line: string): SlashParse {
  const [head = '', ...args] = line.trim().split(/\s+/);
  const typed = head.replace(/^\//, '').toLowerCase();
  const name = (typed in slashCommands ? typed : aliases[typed]) as SlashCommandName | undefined;
  if (!name) return { ok: false, message: unknownCommandHint(typed) };
  const usage = `Usage: ${slashCommands[name].usage}`;
  const noArgs = (command: SlashCommand): SlashParse => (args.length ? { ok: false, message: `/${name} takes no arguments. ${usage}` } : { ok: true, command });
  switch (name) {
    case 'help':
    case 'map':
    case 'diff':
    case 'undo':
    case 'model':
    case 'mcp':
    case 'clear':
    case 'history':
    case 'exit':
      return noArgs({ name });
    case 'commit': {
      const message = line.trim().slice(head.length).trim();
      const unquoted = /^(["'])([\s\S]*)\1$/.exec(message)?.[2] ?? message;
      return { ok: true, command: { name, message: unquoted.trim() || null } };
    }
    case 'add':
      if (!args.length) return { ok: false, message: `Which file? ${usage}` };
      return { ok: true, command: { name, paths: args } };
    case 'drop':
      return { ok: true, command: { name, paths: args } };
    case 'mode': {
      if (args.length === 0) return { ok: true, command: { name, mode: null } };
      const mode = approvalModes.find((m) => m === args[0]);
      if (!mode || args.length > 1) return { ok: false, message: `Unknown mode "${args.join(' ')}". ${usage}` };
      return { ok: true, command: { name, mode } };
    }
    case 'attempts':
    case 'steps': {
      if (args.length === 0) return { ok: true, command: { name, count: null } };
      const max = name === 'attempts' ? settings.agent.maxAttempts.max : settings.agent.maxSteps.max;
      const count = args.length === 1 ? parsePositiveInteger(args[0], max) : undefined;
      if (count === undefined) return { ok: false, message: `"${args.join(' ')}" is not ${positiveIntegerRange(max)}. ${usage}` };
      return { ok: true, command: { name, count } };
    }
    default:
      return name satisfies never;
  }
}

/** `/help` text: one line per command. */
export function helpText(): string {
  const width = Math.max(...Object.values(slashCommands).map((c) => c.usage.length)) + 2;
  const lines = Object.values(slashCommands).map((c) => `  ${c.usage.padEnd(width)}${c.summary}`);
  return ['Commands:', ...lines, 'Anything else is sent to the model as a task or a question.'].join('\n');
}

function unknownCommandHint(typed: string): string {
  const names = Object.keys(slashCommands);
  const close = names.filter((n) => n.startsWith(typed.slice(0, 2)) || editDistance(n, typed) <= 2);
  const suggestion = close.length ? ` Did you mean ${close.map((n) => `/${n}`).join(' or ')}?` : '';
  return `Unknown command /${typed}.${suggestion} Type /help for the list.`;
}
