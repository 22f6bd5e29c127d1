/**
 * An MCP tool's result as the observation the model reads: its text content in order, a short
 * note for each part that is not text (an image, audio, a binary resource), the structured content
 * when there is no text, cut to a size the agent then fits to the context budget. A result the
 * server marks `isError` is a tool error carrying that text.
 */
import { toolError, type ToolResult } from '../../tools/tool.ts';

/** The most characters of a result passed on (the agent then cuts it to the context's budget). */
export const maxResultChars = 100_000;

type ContentPart = { type: string; [key: string]: unknown };

/** The observation of a call to `name` that returned `result` (a CallToolResult, checked loosely). */
export function callResultToToolResult(name: string, result: unknown): ToolResult {
  const r = (result ?? {}) as { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown };
  const parts = Array.isArray(r.content) ? (r.content as ContentPart[]) : [];
  let text = parts
    .map(partText)
    .filter((t) => t !== '')
    .join('\n');
  if (!text && r.structuredContent !== undefined) text = JSON.stringify(r.structuredContent, null, 2);
  if (!text && r.toolResult !== undefined) text = typeof r.toolResult === 'string' ? r.toolResult : JSON.stringify(r.toolResult, null, 2);
  text = cut(text);
  if (r.isError === true) return toolError('failed', `${name} reported an error: ${text || '(no message)'}`);
  const forModel = text || '(the tool returned nothing)';
  const lines = forModel.split('\n').length;
  return { forModel, forUser: lines > 1 || forModel.length > 200 ? `${firstLine(forModel)} … (${lines} lines, ${forModel.length} characters)` : forModel };
}

function partText(part: ContentPart): string {
  switch (part.type) {
    case 'text':
      return typeof part.text === 'string' ? part.text : '';
    case 'image':
    case 'audio':
      return (
        `[${part.type} (${typeof part.mimeType === 'string' ? part.mimeType : 'unknown type'}, ${sizeOf(part.data)}) not shown: only text ` +
        `reaches the model]`
      );
    case 'resource': {
      const resource = (part.resource ?? {}) as { uri?: unknown; text?: unknown; mimeType?: unknown; blob?: unknown };
      const uri = typeof resource.uri === 'string' ? resource.uri : '(no uri)';
      if (typeof resource.text === 'string') return `[resource ${uri}]\n${resource.text}`;
      return (
        `[resource ${uri} (${typeof resource.mimeType === 'string' ? resource.mimeType : 'binary'}, ${sizeOf(resource.blob)}) not shown: only ` +
        `text reaches the model]`
      );
    }
    case 'resource_link':
      return `[resource link ${typeof part.uri === 'string' ? part.uri : ''}${typeof part.name === 'string' ? ` (${part.name})` : ''}]`;
    default:
      return `[a "${part.type}" part not shown]`;
  }
}

/** The size of base64 `data` in words. */
function sizeOf(data: unknown): string {
  if (typeof data !== 'string') return 'size unknown';
  const bytes = Math.floor((data.length * 3) / 4);
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

function cut(text: string): string {
  if (text.length <= maxResultChars) return text;
  return `${text.slice(0, maxResultChars)}\n[... ${text.length - maxResultChars} more characters cut: ask the tool for less]`;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0];
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
