/**
 * The stdio transport of an MCP server: the SDK's message framing over the stdin and stdout of a
 * process that runs in a process group of its own. The SDK's StdioClientTransport spawns the
 * server in assist's group, where the terminal's Ctrl-C (which cancels a turn, not the session)
 * would reach it too, and where it cannot end what the server itself started (`npx` starts
 * node); here Ctrl-C never reaches a server, and closing ends its whole group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The process of one server: its command line, its extra environment, where it runs. */
export interface StdioServerProcess {
  command: string;
  args: string[];
  /** Added to the few variables a server inherits (the SDK's `getDefaultEnvironment`: PATH, HOME, USER, ...). */
  env: Record<string, string>;
  cwd: string;
}

/** How long a server gets to exit after its stdin closes, and then after SIGTERM. */
const graceMs = 2000;
/** The most of the server's stderr kept (its end), to say why it failed. */
const stderrTailChars = 2000;

/** How a server process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The SDK's `Transport` over a server process in its own process group. */
export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer();
  private stderr = '';
  private exited: Promise<void> = Promise.resolve();
  /** Set once the process has ended. */
  exit: ProcessExit | undefined;

  constructor(private readonly server: StdioServerProcess) {}

  /** The server's process id (also its process group's), once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the server wrote to stderr, trimmed. */
  stderrTail(): string {
    return this.stderr.trim();
  }

  start(): Promise<void> {
    if (this.child) throw new Error('The MCP server process was already started.');
    return new Promise((resolve, reject) => {
      const child = spawn(this.server.command, this.server.args, {
        cwd: this.server.cwd,
        env: { ...getDefaultEnvironment(), ...this.server.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        shell: false,
      });
      this.child = child;
      this.exited = new Promise((done) => child.once('exit', () => done()));
      child.once('error', (error: NodeJS.ErrnoException) => {
        const failure = error.code === 'ENOENT' ? new Error(`the command "${this.server.command}" was not found (is it installed and on PATH?)`) : error;
        reject(failure);
        this.onerror?.(failure);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
      });
      child.once('close', () => this.onclose?.());
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        try {
          this.buffer.append(chunk);
        } catch (error) {
          this.onerror?.(error as Error);
          this.killGroup('SIGKILL');
          return;
        }
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (error) {
            this.onerror?.(new Error(`the server wrote a line that is not an MCP message: ${(error as Error).message}`));
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        this.stderr = (this.stderr + chunk.toString('utf8')).slice(-stderrTailChars);
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.exit || stdin.destroyed) {
        reject(new Error('the server process is not running'));
        return;
      }
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /**
   * Ends the server as the MCP spec asks: its stdin is closed, then SIGTERM, then SIGKILL, each
   * after a grace period, to the whole process group; resolves once the process has exited.
   */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined) return; // never started (the command was not found)
    if (!this.exit) {
      try {
        child.stdin?.end();
      } catch {
        // already closed
      }
      if (!(await this.exitedWithin(graceMs))) {
        this.killGroup('SIGTERM');
        if (!(await this.exitedWithin(graceMs))) {
          this.killGroup('SIGKILL');
          await this.exitedWithin(graceMs);
        }
      }
    }
    this.killGroup('SIGKILL'); // what the server started and left behind
    this.buffer.clear();
  }

  /** Ends the server's process group at once (a hung server, or the process is exiting). */
  killGroup(signal: NodeJS.Signals = 'SIGKILL'): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone
    }
  }

  private async exitedWithin(ms: number): Promise<boolean> {
    if (this.exit) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const done = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }
}
