import type { Action } from '../../model/language-model.ts';

const maxValueChars = 60;

/**
 * One compact line for a tool call: the tool name and its key arguments. Short scalar arguments
 * are shown as `key=value`; long or multi-line text is summarised by its size; nulls are left out.
 */
export function formatToolCall(action: Pick<Action, 'tool' | 'args'>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(action.args ?? {})) {
    const shown = formatArgValue(value);
    if (shown !== undefined) parts.push(`${key}=${shown}`);
  }
  return parts.length ? `${action.tool} ${parts.join(' ')}` : action.tool;
}

function formatArgValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value.includes('\n')) {
      const lines = value.replace(/\n$/, '').split('\n').length;
      return `<${lines} line${lines === 1 ? '' : 's'}>`;
    }
    if (value.length > maxValueChars) return JSON.stringify(value.slice(0, maxValueChars - 1) + '…');
    return /^[\w./@:+-]+$/.test(value) ? value : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.length <= 3 && value.every((v) => typeof v === 'string' && v.length < 30) ? `[${value.join(',')}]` : `<${value.length} items>`;
  return '{…}';
}

/** The first `maxLines` lines of `text`, with a note saying how many were left out. */
export function firstLines(text: string, maxLines: number): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines.length <= maxLines) return lines.join('\n');
  return `${lines.slice(0, maxLines).join('\n')}\n… (${lines.length - maxLines} more lines)`;
}
