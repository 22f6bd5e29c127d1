/**
 * Shared setup of the MCP tests: the config entry that starts the real test server
 * (test/support/mcp-test-server.mjs) and checks on its process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpServerSettings } from '../../src/config/mcp-servers.ts';

export const testServerPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/mcp-test-server.mjs');

/** The test server as `mcpServers` lists it. */
export function testServer(more: Partial<McpServerSettings> = {}): McpServerSettings {
  return { command: process.execPath, args: [testServerPath], ...more };
}

/** Whether any process of the group `pgid` (a server and what it started) is still alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process group of `pid` (Linux /proc), or undefined when it is gone. */
export function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/** `text` without terminal colours. */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** The filesystem reference server from npm (@modelcontextprotocol/server-filesystem), allowed `dir`. */
export function filesystemServer(dir: string): McpServerSettings {
  const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
  return { command: process.execPath, args: [bin, dir] };
}
