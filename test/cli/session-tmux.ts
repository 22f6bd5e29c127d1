/**
 * Drives `bin/assist.js` in a real terminal, as a person would: tmux `send-keys` in, tmux
 * `capture-pane` out. Each driver runs its own tmux server (a private socket), so tests never
 * touch the user's tmux. Waits poll the screen until text appears, bounded by a deadline that is
 * generous on purpose (a safety net on a loaded machine, not a timing check).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const assistBin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/assist.js');
/** The same command line with the model a test scripts (`ASSIST_TEST_SCRIPTED_MODEL`), injected from the test side. */
export const scriptedAssistBin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/scripted-assist.mjs');

/** The entry to start: the scripted one when the environment names a script. */
export function assistEntry(env: Record<string, string | undefined> = {}): string {
  return env.ASSIST_TEST_SCRIPTED_MODEL ? scriptedAssistBin : assistBin;
}

export interface TmuxSessionOptions {
  cwd: string;
  args?: string[];
  env?: Record<string, string>;
  width?: number;
  height?: number;
  /**
   * Run assist under a shell that, like a login shell when its terminal closes, passes SIGHUP on to
   * it, and writes assist's exit status to this file: the status can be read after the terminal
   * itself is gone (`close()`). `pid()` is then the shell's, `assistPid()` assist's.
   */
  statusFile?: string;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

export class TmuxAssist {
  private readonly socket = `assist-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private closed = false;

  private constructor() {}

  /** Starts `assist ARGS` in a fresh tmux server; the pane stays after the process exits, to read its status. */
  static start(options: TmuxSessionOptions): TmuxAssist {
    const t = new TmuxAssist();
    const env = Object.entries({ ASSIST_DEBUG_EXIT: '1', ...options.env })
      .map(([k, v]) => `${k}=${shellQuote(v)}`)
      .join(' ');
    const assist = `${shellQuote(process.execPath)} ${shellQuote(assistEntry(options.env))} ${(options.args ?? []).map(shellQuote).join(' ')}`;
    const forwardHangup =
      'f=$1; shift; exec 3<&0; "$@" <&3 3<&- & pid=$!; trap \'kill -HUP $pid\' HUP; while :; do wait $pid; st=$?; kill -0 $pid 2>/dev/null || break; done; echo $st > "$f"';
    const wrapper = options.statusFile ? `sh -c ${shellQuote(forwardHangup)} sh ${shellQuote(options.statusFile)} ` : '';
    const command = `exec env ${env} ${wrapper}${assist}`;
    t.tmux(
      'start-server',
      ';',
      'set-option',
      '-g',
      'remain-on-exit',
      'on',
      ';',
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(options.width ?? 160),
      '-y',
      String(options.height ?? 50),
      '-c',
      options.cwd,
      command,
    );
    return t;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** The visible screen and the scrollback, as plain text (`escapes`: with colour sequences). */
  screen(options: { escapes?: boolean } = {}): string {
    return this.tmux('capture-pane', '-p', '-J', ...(options.escapes ? ['-e'] : []), '-S', '-2000', '-t', 'main');
  }

  /** Keys as tmux names them (`Enter`, `C-c`, `Up`) or literal text with `{ literal: true }`. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /** Pastes `text` as a terminal does: bracketed (ESC[200~ … ESC[201~) when the program asked for it, newlines as CR. */
  paste(text: string): void {
    this.tmux('set-buffer', '-b', 'test-paste', text, ';', 'paste-buffer', '-p', '-d', '-b', 'test-paste', '-t', 'main');
  }

  /** The pid of the process in the pane (the assist process itself: it was started with exec). */
  pid(): number {
    return Number(this.tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').trim());
  }

  /** Exit status once the process has ended (128 + N when killed by signal N), else undefined. */
  exitStatus(): number | undefined {
    const [dead, status, signal, pid] = this.tmux('display-message', '-p', '-t', 'main', '#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}|#{pane_pid}')
      .trim()
      .split('|');
    if (dead === '1' && status) return Number(status);
    if (dead === '1' && signal) return 128 + Number(signal);
    return zombieExitStatus(Number(pid));
  }

  /** With `statusFile`: the pid of assist, the child of the shell in the pane. */
  assistPid(): number {
    const shell = this.pid();
    const children = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    if (children.length !== 1) throw new Error(`expected one child of the pane's shell, found ${children.length}`);
    return Number(children[0]);
  }

  /** The signal that killed the process in the pane, if it was killed by one (undefined when it exited by itself or runs). */
  deadSignal(): number | undefined {
    const [dead, signal] = this.tmux('display-message', '-p', '-t', 'main', '#{pane_dead}|#{pane_dead_signal}').trim().split('|');
    return dead === '1' && signal ? Number(signal) : undefined;
  }

  /**
   * Polls until `predicate(screen)` holds; fails with the screen when `deadlineMs` passes.
   * Returns the screen that matched.
   */
  async waitFor(what: string | RegExp | ((screen: string) => boolean), deadlineMs = 120_000): Promise<string> {
    const test = typeof what === 'function' ? what : typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
    const until = Date.now() + deadlineMs;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return screen;
      const status = this.exitStatus();
      if (status !== undefined) throw new Error(`assist exited (${status}) before ${String(what)} appeared. Screen:\n${screen}`);
      if (Date.now() > until) throw new Error(`Timed out waiting for ${String(what)}. Screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Polls until the process has exited; returns its status. `onForcedExit` hears when assist had
   * to force its exit because a handle stayed open (it names the handle).
   */
  async waitForExit(deadlineMs = 120_000, onForcedExit?: (message: string) => void): Promise<number> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const status = this.exitStatus();
      if (status !== undefined) {
        const forced = /assist: forcing exit.*/.exec(this.screen());
        if (forced) onForcedExit?.(forced[0]);
        return status;
      }
      if (Date.now() > until) throw new Error(`assist did not exit. Process: ${this.processState()}. Screen:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** `ps` state and kernel wait channel of the assist process and its threads (for a failure message). */
  processState(): string {
    try {
      return execFileSync('ps', ['-L', '-o', 'lwp,stat,wchan:24,comm', '-p', String(this.pid())], { encoding: 'utf8' }).replace(/\n/g, ' | ');
    } catch (error) {
      return `unknown (${(error as Error).message})`;
    }
  }

  /** Ends the tmux server (and anything still running in it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

/**
 * tmux sometimes leaves an exited pane process unreaped for a long time (a zombie, pane not marked
 * dead). The exit status is then read from /proc/PID/stat (field 52, in waitpid format).
 */
function zombieExitStatus(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] !== 'Z') return undefined;
  const raw = Number(fields[52 - 3]);
  if (!Number.isInteger(raw)) return undefined;
  return (raw & 0x7f) === 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f);
}
