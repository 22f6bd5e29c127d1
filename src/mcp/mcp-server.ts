/**
 * One MCP server of the user's config, as the session sees it: started (initialize, then its tool
 * list) within its time bound, called with a timeout per call, and stopped with the session. A
 * server that fails to start, exits, or leaves a call unanswered is `failed` from then on: every
 * later call fails at once with the same message, naming the server, and the session goes on.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError, type Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import { defaultMcpTimeoutMs, type McpServerSettings } from '../config/mcp-servers.ts';
import { ProcessGroupStdioTransport } from './stdio-transport.ts';

/** Where a server stands. */
export type McpServerStatus =
  | { state: 'disabled' }
  | { state: 'starting' }
  | { state: 'running' }
  /** It could not start, exited, or stopped answering; `reason` says which, with its last stderr line. */
  | { state: 'failed'; reason: string }
  | { state: 'stopped' };

/** A call's outcome: the server's result, or why there is none. */
export type McpCallOutcome = { ok: true; result: unknown } | { ok: false; code: 'unavailable' | 'aborted' | 'failed'; message: string };

/** What one server is started from. */
export interface McpServerOptions {
  name: string;
  settings: McpServerSettings;
  /** Where the server runs (the project root). */
  cwd: string;
}

/** Tool-list pages read at most (a server that pages forever still starts). */
const maxListPages = 20;

/** One configured server: its status, the tools it listed, and calls to them. */
export class McpServer {
  readonly name: string;
  readonly timeoutMs: number;
  status: McpServerStatus;
  /** The tools the server listed at start. */
  tools: McpToolInfo[] = [];
  private transport: ProcessGroupStdioTransport | undefined;
  private client: Client | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: McpServerOptions) {
    this.name = options.name;
    this.timeoutMs = options.settings.timeoutMs ?? defaultMcpTimeoutMs;
    this.status = options.settings.disabled ? { state: 'disabled' } : { state: 'starting' };
  }

  /** The command line that starts it, as the config gives it. */
  get commandLine(): string {
    return [this.options.settings.command, ...(this.options.settings.args ?? [])].join(' ');
  }

  /** The server process id (its process group's too), while it has one. */
  get pid(): number | undefined {
    return this.transport?.pid;
  }

  /** Starts the server and lists its tools, all within `timeoutMs`. Never throws: a failure is the status. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.status.state !== 'starting') return;
    const { settings, cwd } = this.options;
    const transport = new ProcessGroupStdioTransport({ command: settings.command, args: settings.args ?? [], env: settings.env ?? {}, cwd });
    const client = new Client({ name: 'assist', version: '0.1.0' }, { capabilities: {} });
    this.transport = transport;
    this.client = client;
    client.onclose = () => this.ended();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    const options = { timeout: this.timeoutMs, signal: signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal };
    try {
      await client.connect(transport, options);
      if (client.getServerCapabilities()?.tools) {
        let cursor: string | undefined;
        for (let page = 0; page < maxListPages; page++) {
          const listed = await client.listTools(cursor ? { cursor } : undefined, options);
          this.tools.push(...listed.tools);
          cursor = listed.nextCursor;
          if (!cursor) break;
        }
      }
      if (this.status.state === 'starting') this.status = { state: 'running' };
    } catch (error) {
      // the exit may have been seen first (status changed meanwhile): its reason says more
      const now = this.status as McpServerStatus;
      if (now.state === 'failed') return;
      const slow = deadline.signal.aborted || (error instanceof McpError && error.code === ErrorCode.RequestTimeout);
      const why = signal?.aborted
        ? 'the session was cancelled while it started'
        : slow
          ? `no complete answer (initialize, then its tool list) within ${seconds(this.timeoutMs)}`
          : this.describe(error, 'no answer within');
      this.fail(`it could not start: ${why}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Calls `tool` with `args`; never throws. */
  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallOutcome> {
    if (this.status.state !== 'running' || !this.client) return { ok: false, code: 'unavailable', message: this.unavailableMessage() };
    try {
      const result = await this.client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: this.timeoutMs });
      return { ok: true, result };
    } catch (error) {
      if (signal.aborted) return { ok: false, code: 'aborted', message: `The call to ${tool} was cancelled.` };
      if (this.status.state !== 'running') return { ok: false, code: 'unavailable', message: this.unavailableMessage() };
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        this.fail(`it did not answer a call to ${tool} within ${seconds(this.timeoutMs)}, so it was stopped`);
        return { ok: false, code: 'unavailable', message: this.unavailableMessage() };
      }
      return { ok: false, code: 'failed', message: `${tool} failed: ${this.describe(error, 'no answer within')}` };
    }
  }

  /** What every call says once the server is not running. */
  unavailableMessage(): string {
    const why =
      this.status.state === 'failed'
        ? this.status.reason
        : this.status.state === 'disabled'
          ? 'it is disabled in the config'
          : this.status.state === 'stopped'
            ? 'it was stopped'
            : 'it has not started';
    return `The MCP server "${this.name}" is unavailable: ${why}. Its tools cannot be used in this session; do the task without them, or tell the user.`;
  }

  /** Stops the server (stdin closed, then SIGTERM, then SIGKILL to its process group); resolves once it has exited. */
  stop(): Promise<void> {
    if (this.status.state === 'running' || this.status.state === 'starting') this.status = { state: 'stopped' };
    this.stopping ??= (async () => {
      try {
        await this.client?.close();
      } catch {
        // the transport closes below anyway
      }
      await this.transport?.close();
    })();
    return this.stopping;
  }

  /** Kills the server's process group now (the process is exiting and cannot wait). */
  killNow(): void {
    this.transport?.killGroup('SIGKILL');
  }

  private fail(reason: string): void {
    if (this.status.state !== 'failed') this.status = { state: 'failed', reason: this.withStderr(reason) };
    void this.stop().catch(() => {});
  }

  /** The connection closed: unless we closed it, the server exited. */
  private ended(): void {
    if (this.status.state !== 'running' && this.status.state !== 'starting') return;
    const exit = this.transport?.exit;
    const how = !exit ? 'closed its connection' : exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
    this.fail(`it ${how}`);
  }

  private describe(error: unknown, timeoutWords: string): string {
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return `${timeoutWords} ${seconds(this.timeoutMs)}`;
    const message = (error as Error)?.message ?? String(error);
    return message.replace(/^MCP error -?\d+: /, '');
  }

  private withStderr(reason: string): string {
    const tail = this.transport?.stderrTail() ?? '';
    const last = tail
      .split('\n')
      .filter((l) => l.trim())
      .at(-1)
      ?.trim();
    return last ? `${reason} (its last error output: ${last.length > 200 ? `${last.slice(0, 199)}…` : last})` : reason;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
