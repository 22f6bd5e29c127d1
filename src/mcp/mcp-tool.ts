/**
 * A tool an MCP server listed, as one of assist's tools: named `server__tool` (grammar-safe
 * characters), its description, its input schema reduced to what the grammar writes, `effect`
 * `read` when the server marks it read-only and `run` otherwise, ordered after the built-in tools.
 * Each call is approved (an `mcp` request), sent with the nulls of optional arguments dropped,
 * and its result becomes the observation.
 */
import type { Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import { toolError, type Tool } from '../../tools/tool.ts';
import { callResultToToolResult } from './call-result.ts';
import { dropNulls, reduceInputSchema } from './input-schema.ts';
import type { McpServer } from './mcp-server.ts';

/** Where MCP tools start in the model's list (the built-in tools stand below). */
export const mcpToolOrder = 1000;
const maxNameChars = 64;
const descriptionChars = 400;

/** `text` with only the characters a tool name may have (letters, digits, `_`, `-`). */
export function nameSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

/** The name the model calls a server's tool by. */
export function mcpToolName(server: string, tool: string): string {
  return `${nameSafe(server)}__${nameSafe(tool)}`.slice(0, maxNameChars);
}

/** A listed MCP tool as a Tool, or why it cannot be offered (its schema is beyond the grammar). */
export function toAssistTool(server: McpServer, info: McpToolInfo, order: number): { tool: Tool<any>; dropped: string[] } | { problem: string } {
  const reduced = reduceInputSchema(info.inputSchema);
  if (!reduced.ok) return { problem: reduced.reason };
  const readOnly = info.annotations?.readOnlyHint === true;
  const name = mcpToolName(server.name, info.name);
  const tool: Tool<any> = {
    name,
    description: describeMcpTool(server.name, info),
    schema: reduced.schema,
    effect: readOnly ? 'read' : 'run',
    order: mcpToolOrder + order,
    async execute(args, ctx) {
      if (ctx.signal.aborted) return toolError('aborted', 'the turn was cancelled');
      const sent = dropNulls(args, reduced.shape) as Record<string, unknown>;
      if (server.status.state !== 'running') return toolError('unavailable', server.unavailableMessage());
      const answer = await ctx.approve({ kind: 'mcp', server: server.name, tool: info.name, args: sent, readOnly });
      if (answer.answer === 'no') return toolError('rejected', `the user declined this call${answer.reason ? `: ${answer.reason}` : ''}`);
      const outcome = await server.call(info.name, sent, ctx.signal);
      if (!outcome.ok) return toolError(outcome.code, outcome.message);
      const result = callResultToToolResult(name, outcome.result);
      return readOnly || result.error ? result : { ...result, actedOutside: true };
    },
  };
  return { tool, dropped: reduced.dropped };
}

/** One line: the server's description (or title), where the tool comes from. */
function describeMcpTool(server: string, info: McpToolInfo): string {
  const text = (info.description ?? info.annotations?.title ?? info.title ?? '').replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  const clipped = text.length > descriptionChars ? `${text.slice(0, descriptionChars - 1)}…` : text;
  return `${clipped ? `${clipped}. ` : ''}(MCP server "${server}")`;
}
