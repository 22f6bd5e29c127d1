/**
 * The `mcpServers` setting: MCP servers to start with a session, in the shape Claude Code, Cursor
 * and others use, so a block can be copied from their config:
 *
 *     "mcpServers": { "NAME": { "command": "npx", "args": ["-y", "pkg"], "env": { "KEY": "value" } } }
 *
 * Checked here with errors that name the server and the key; src/mcp/ starts them.
 */
import type { ProjectRule, Setting } from './setting.ts';

/** One server as the config declares it. */
export interface McpServerSettings {
  /** The program to start (looked up on PATH), speaking MCP over its stdin and stdout. */
  command: string;
  args?: string[];
  /** Variables added to the few the server inherits (PATH, HOME, USER, LOGNAME, SHELL, TERM). */
  env?: Record<string, string>;
  /** Only `stdio` is supported; accepted so configs written for other tools load as they are. */
  type?: 'stdio';
  /** How long starting the server, and each tool call, may take. */
  timeoutMs?: number;
  /** Listed but not started. */
  disabled?: boolean;
}

export type McpServersSetting = Record<string, McpServerSettings>;

/** The default per-server timeout (start, and each call). */
export const defaultMcpTimeoutMs = 60_000;
const maxTimeoutMs = 24 * 60 * 60 * 1000;
const serverKeys = ['command', 'args', 'env', 'type', 'timeoutMs', 'disabled'];

/** What is wrong with `value` as `mcpServers`, with the key it is at; undefined when it is fine. */
export function mcpServersProblem(value: unknown): { key: string; message: string } | undefined {
  if (!isPlainObject(value))
    return { key: 'mcpServers', message: `must be an object of servers like {"NAME": {"command": "...", "args": [...]}}, not ${shown(value)}` };
  const names = Object.keys(value);
  if (names.length > 50) return { key: 'mcpServers', message: `lists ${names.length} servers; at most 50 are allowed` };
  for (const [name, server] of Object.entries(value)) {
    const key = `mcpServers.${name}`;
    if (name.length === 0 || name.length > 64 || /[\x00-\x1f]/.test(name))
      return { key, message: 'a server name must be 1 to 64 characters, without control characters' };
    if (!isPlainObject(server)) return { key, message: `must be an object like {"command": "...", "args": [...]}, not ${shown(server)}` };
    for (const k of Object.keys(server)) {
      if (!serverKeys.includes(k)) {
        const remote = k === 'url' ? ' (remote servers are not supported: only stdio servers, started with a command)' : '';
        return { key: `${key}.${k}`, message: `is not a server setting${remote}. Known: ${serverKeys.join(', ')}` };
      }
    }
    if (server.type !== undefined && server.type !== 'stdio') {
      return {
        key: `${key}.type`,
        message: `must be "stdio" (the only kind supported: a command speaking MCP on its stdin and stdout), not ${shown(server.type)}`,
      };
    }
    if (server.command === undefined)
      return { key: `${key}.command`, message: 'is required: the program that starts the server, e.g. "npx" or "/usr/local/bin/my-server"' };
    if (typeof server.command !== 'string' || server.command.trim() === '' || server.command.length > 4096)
      return { key: `${key}.command`, message: `must be a non-empty string, not ${shown(server.command)}` };
    if (server.args !== undefined) {
      if (!Array.isArray(server.args) || server.args.length > 200)
        return { key: `${key}.args`, message: `must be a list of up to 200 strings, not ${shown(server.args)}` };
      const bad = server.args.findIndex((a) => typeof a !== 'string' || a.length > 4096);
      if (bad >= 0) return { key: `${key}.args[${bad}]`, message: `must be a string, not ${shown(server.args[bad])}` };
    }
    if (server.env !== undefined) {
      if (!isPlainObject(server.env)) return { key: `${key}.env`, message: `must be an object of strings like {"API_TOKEN": "..."}, not ${shown(server.env)}` };
      for (const [variable, text] of Object.entries(server.env)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) return { key: `${key}.env`, message: `"${variable}" is not an environment variable name` };
        if (typeof text !== 'string') return { key: `${key}.env.${variable}`, message: `must be a string, not ${shown(text)}` };
      }
    }
    if (
      server.timeoutMs !== undefined &&
      !(typeof server.timeoutMs === 'number' && Number.isInteger(server.timeoutMs) && server.timeoutMs >= 1 && server.timeoutMs <= maxTimeoutMs)
    ) {
      return { key: `${key}.timeoutMs`, message: `must be a whole number from 1 to ${maxTimeoutMs}, not ${shown(server.timeoutMs)}` };
    }
    if (server.disabled !== undefined && typeof server.disabled !== 'boolean')
      return { key: `${key}.disabled`, message: `must be true or false, not ${shown(server.disabled)}` };
  }
  return undefined;
}

/** The `mcpServers` setting with its documentation and project rule. */
export function mcpServers(options: { doc: string; project: ProjectRule }): Setting<McpServersSetting> {
  return {
    default: {},
    doc: options.doc,
    project: options.project,
    allowed: 'an object of servers: {"NAME": {"command": "...", "args": [...], "env": {...}, "timeoutMs": N, "disabled": false}}',
    accepts: (value): value is McpServersSetting => mcpServersProblem(value) === undefined,
    problem: mcpServersProblem,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** `servers` with every `env` value replaced by `"(set)"`: what `assist config` prints (env often holds tokens). */
export function withEnvHidden(servers: McpServersSetting): McpServersSetting {
  return Object.fromEntries(
    Object.entries(servers).map(([name, server]) => [
      name,
      server.env ? { ...server, env: Object.fromEntries(Object.keys(server.env).map((k) => [k, '(set)'])) } : server,
    ]),
  );
}
