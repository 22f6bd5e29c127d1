/**
 * The session transcript: `.assist/sessions/<id>.jsonl`, one JSON object per line (user messages,
 * model actions with token counts and timings, tool results, approvals, attempts, turn results).
 * Every entry is written whole and flushed to disk before `append` returns, so a crash loses
 * nothing. An entry that cannot be written (a full disk) is cut off again, never left torn: the
 * first such failure throws once (the caller says so), later ones are counted, and when writing
 * works again a `log_gap` entry records how many entries were lost.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { appendFully, diskFullReason, isDiskFull } from '../workspace/full-write.ts';

/** Where a project's session logs live. */
export function sessionsDir(root: string): string {
  return path.join(root, '.assist', 'sessions');
}

/** One stored session, newest first in `listSessions`. */
export interface SessionInfo {
  id: string;
  path: string;
  mtimeMs: number;
}

/** Every session log of the project, newest first. */
export function listSessions(root: string): SessionInfo[] {
  const dir = sessionsDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => {
      const file = path.join(dir, name);
      return { id: name.slice(0, -'.jsonl'.length), path: file, mtimeMs: statSync(file).mtimeMs };
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs || b.id.localeCompare(a.id));
}

/** A sortable, unique session id: `20261121-051200-3fa9c1`. */
export function newSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** A session that cannot be resumed; the message says what exists instead. */
export class SessionLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionLogError';
  }
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class SessionLog {
  private fd: number | undefined;
  /** The file ends in a torn line (a crash mid-write): the next entry starts on a new line. */
  private tornTail = false;
  /** Entries that could not be written since the last one that could, and why. */
  private lost = 0;
  private lostReason = '';
  private warned = false;

  private constructor(
    readonly id: string,
    readonly path: string,
  ) {}

  /** Starts a new, empty log (the file is created by the first `append`). */
  static create(root: string): SessionLog {
    const id = newSessionId();
    return new SessionLog(id, path.join(sessionsDir(root), `${id}.jsonl`));
  }

  /** Opens an existing log to append to: `id`, or the latest session when omitted. */
  static resume(root: string, id?: string): SessionLog {
    if (id === undefined) {
      const latest = listSessions(root)[0];
      if (!latest) throw new SessionLogError(`No session to resume in ${sessionsDir(root)}. Start one with \`assist\`.`);
      return new SessionLog(latest.id, latest.path);
    }
    if (!idPattern.test(id)) throw new SessionLogError(`"${id}" is not a session id. List them with \`ls ${sessionsDir(root)}\`.`);
    const file = path.join(sessionsDir(root), `${id}.jsonl`);
    if (!existsSync(file)) {
      const known = listSessions(root)
        .slice(0, 5)
        .map((s) => s.id);
      throw new SessionLogError(`No session "${id}" in ${sessionsDir(root)}.${known.length ? ` Recent sessions: ${known.join(', ')}.` : ''}`);
    }
    return new SessionLog(id, file);
  }

  /**
   * Appends one entry (a `time` field is added when missing) and flushes it to disk, whole or not
   * at all. The first entry that cannot be written throws a SessionLogError saying why; later
   * failures are silent and counted (see the module doc).
   */
  append(entry: object): void {
    const record = 'time' in entry ? entry : { time: new Date().toISOString(), ...entry };
    const line = JSON.stringify(record) + '\n';
    try {
      const fd = this.open();
      const gap = this.lost > 0 ? JSON.stringify({ time: new Date().toISOString(), type: 'log_gap', lost: this.lost, reason: this.lostReason }) + '\n' : '';
      this.write(fd, gap + line);
      this.lost = 0;
    } catch (error) {
      this.lost++;
      this.lostReason = isDiskFull(error) ? diskFullReason(Buffer.byteLength(line)) : (error as Error).message;
      if (this.warned) return;
      this.warned = true;
      throw new SessionLogError(`${this.lostReason}; the entries before this one are kept`);
    }
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    mkdirSync(path.dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a+');
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      this.tornTail = last[0] !== 0x0a;
    }
    this.fd = fd;
    return fd;
  }

  private write(fd: number, text: string): void {
    appendFully(fd, this.tornTail ? `\n${text}` : text, this.path);
    this.tornTail = false;
  }

  /** Every entry so far. A torn last line (a crash mid-write) is skipped, never fatal. */
  read(): object[] {
    if (!existsSync(this.path)) return [];
    const entries: object[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const value: unknown = JSON.parse(line);
        if (value && typeof value === 'object') entries.push(value);
      } catch {
        // A partial line from a crash: everything before it is intact.
      }
    }
    return entries;
  }

  /** Closes the file handle (appending again reopens it). */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
