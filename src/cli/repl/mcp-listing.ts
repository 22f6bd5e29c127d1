/**
 * `/mcp`: every MCP server of the user's config with its state (running, failed and why,
 * disabled) and its tools, one line each: the name the model calls it by, read or run, and the
 * first line of its description; then the tools the server listed that the model is not offered.
 */
import chalk from 'chalk';
import type { McpServerReport } from '../../mcp/mcp-servers.ts';

/** What `/mcp` needs of the session's servers. */
export interface McpReport {
  report(): McpServerReport[];
}

/** The text of `/mcp`. */
export function mcpListing(mcp: McpReport | undefined): string {
  const servers = mcp?.report() ?? [];
  if (servers.length === 0) {
    return (
      'No MCP servers. List them under "mcpServers" in your own config (assist config shows where it is), e.g.\n  "mcpServers": { "files": { ' +
      '"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."] } }'
    );
  }
  return servers.map(serverText).join('\n\n');
}

function serverText(server: McpServerReport): string {
  const lines = [`${chalk.bold(server.name)} ${stateText(server.status)} ${chalk.dim(server.command)}`];
  const width = Math.max(0, ...server.tools.map((t) => t.name.length));
  for (const tool of server.tools) {
    const effect = tool.effect === 'read' ? chalk.green('read') : chalk.yellow('run ');
    lines.push(`  ${tool.name.padEnd(width)}  ${effect}  ${chalk.dim(oneLine(tool.description))}`);
  }
  if (server.status.state === 'running' && server.tools.length === 0 && server.leftOut.length === 0) lines.push(chalk.dim('  (no tools)'));
  for (const left of server.leftOut) lines.push(chalk.dim(`  ${left.tool}: left out, ${left.reason}`));
  return lines.join('\n');
}

function stateText(status: McpServerReport['status']): string {
  switch (status.state) {
    case 'running':
      return chalk.green('running');
    case 'starting':
      return chalk.yellow('starting');
    case 'failed':
      return chalk.red(`failed: ${status.reason}`);
    case 'disabled':
      return chalk.dim('disabled ("disabled": true in the config)');
    case 'stopped':
      return chalk.dim('stopped');
    default:
      return status satisfies never;
  }
}

function oneLine(text: string): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(/ \(MCP server "[^"]*"\)$/, '')
    .trim();
  return flat.length > 100 ? `${flat.slice(0, 99)}…` : flat;
}
