/**
 * The MCP servers of a session: every server of `mcpServers` started in parallel (each within its
 * own time bound), their tools turned into assist tools, notices for what did not join and why,
 * what `/mcp` lists, and one `dispose()` that stops them all. Until then they are tracked by the
 * sandbox's exit cleanup, so Ctrl-C, SIGTERM or a crash leaves no server running.
 */
import type { McpServersSetting } from '../config/mcp-servers.ts';
import { track, untrack, type Releasable } from '../sandbox/cleanup.ts';
import type { Tool } from '../../tools/tool.ts';
import { McpServer, type McpServerStatus } from './mcp-server.ts';
import { toAssistTool } from './mcp-tool.ts';

/** A server as `/mcp` lists it. */
export interface McpServerReport {
  name: string;
  command: string;
  status: McpServerStatus;
  tools: Array<{ name: string; effect: 'read' | 'run'; description: string }>;
  /** Tools the server listed that the model is not offered, with why. */
  leftOut: Array<{ tool: string; reason: string }>;
}

/** Something the person should know about the start (rendered as a session notice). */
export interface McpNotice {
  level: 'info' | 'warn';
  message: string;
}

/** Options of `McpServers.start`. */
export interface StartMcpOptions {
  /** Where the servers run: the project root. */
  cwd: string;
  /** Names already taken (the built-in tools, `answer`). */
  reservedNames: readonly string[];
  signal?: AbortSignal;
}

export class McpServers implements Releasable {
  /** The tools that joined, in config order. */
  readonly tools: Tool<any>[] = [];
  /** What to tell the person about the start: what joined, what did not and why. */
  readonly notices: McpNotice[] = [];
  private readonly leftOut = new Map<McpServer, Array<{ tool: string; reason: string }>>();
  private readonly owners = new Map<Tool<any>, McpServer>();
  private disposed: Promise<void> | undefined;

  private constructor(readonly servers: McpServer[]) {
    track(this);
  }

  /** Starts every server of `settings`; resolves when each has started, failed, or run out of time. Never throws. */
  static async start(settings: McpServersSetting, options: StartMcpOptions): Promise<McpServers> {
    const servers = Object.entries(settings).map(([name, s]) => new McpServer({ name, settings: s, cwd: options.cwd }));
    const hub = new McpServers(servers);
    await Promise.all(servers.map((s) => s.start(options.signal)));
    hub.collectTools(options.reservedNames);
    return hub;
  }

  /** Every server with its state and tools, for `/mcp`. */
  report(): McpServerReport[] {
    return this.servers.map((server) => ({
      name: server.name,
      command: server.commandLine,
      status: server.status,
      tools: this.tools
        .filter((t) => this.owners.get(t) === server)
        .map((t) => ({ name: t.name, effect: t.effect as 'read' | 'run', description: t.description })),
      leftOut: this.leftOut.get(server) ?? [],
    }));
  }

  /** Stops every server; resolves once all have exited. Safe to call twice. */
  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      untrack(this);
      await Promise.allSettled(this.servers.map((s) => s.stop()));
    })();
    return this.disposed;
  }

  release(): Promise<void> {
    return this.dispose();
  }

  releaseSync(): void {
    for (const server of this.servers) server.killNow();
  }

  private collectTools(reservedNames: readonly string[]): void {
    const taken = new Set(reservedNames);
    const joined: string[] = [];
    let order = 0;
    for (const server of this.servers) {
      const leftOut: Array<{ tool: string; reason: string }> = [];
      this.leftOut.set(server, leftOut);
      const status = server.status;
      if (status.state === 'failed') {
        this.notices.push({
          level: 'warn',
          message: `The MCP server "${server.name}" is not available: ${status.reason}. Its tools are left out (/mcp shows the servers).`,
        });
        continue;
      }
      if (status.state !== 'running') continue;
      let count = 0;
      for (const info of server.tools) {
        const made = toAssistTool(server, info, order++);
        if ('problem' in made) {
          leftOut.push({ tool: info.name, reason: made.problem });
          this.notices.push({
            level: 'warn',
            message: `The MCP tool "${info.name}" of "${server.name}" is left out: ${made.problem}, which the action grammar cannot express.`,
          });
          continue;
        }
        if (taken.has(made.tool.name)) {
          const reason = `its name ${made.tool.name} is already taken by another tool`;
          leftOut.push({ tool: info.name, reason });
          this.notices.push({ level: 'warn', message: `The MCP tool "${info.name}" of "${server.name}" is left out: ${reason}.` });
          continue;
        }
        for (const dropped of made.dropped)
          this.notices.push({ level: 'info', message: `The MCP tool "${info.name}" of "${server.name}" is offered without its ${dropped}.` });
        taken.add(made.tool.name);
        this.tools.push(made.tool);
        this.owners.set(made.tool, server);
        count++;
      }
      joined.push(`${server.name}: ${count}`);
    }
    if (joined.length > 0) {
      const servers = joined.length === 1 ? '1 server' : `${joined.length} servers`;
      this.notices.push({
        level: 'info',
        message: `MCP: ${this.tools.length} tool${this.tools.length === 1 ? '' : 's'} from ${servers} joined (${joined.join(', ')}); /mcp lists them.`,
      });
    }
  }
}
