/**
 * Finishing or undoing, as one set, a change set whose process died between its renames. Each set
 * (an apply, or the undo of one) writes a journal into its checkpoint folder once every temp file is
 * complete and before the first rename, and removes it after the last (checkpoints.ts
 * `RenameJournal`). A journal of a process that is gone is found when the workspace opens:
 *
 * - an apply whose remaining temp files are all intact is completed (rolled forward);
 * - an apply that cannot be completed (a temp is missing or damaged) is undone from its
 *   checkpoint (rolled back), like an undo that is also completed from the checkpoint;
 * - a file changed since the crash (neither the old nor the new content) is never overwritten:
 *   the set is left as it is and the message names the file.
 *
 * Each outcome is one message for the user. Paths in a journal are checked like any tool path,
 * so a planted journal can change nothing outside the project, in `.git/` or in `.assist/`.
 */
import { lstatSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { isApplyTempName, processAlive, staleTempAgeMs } from './apply-temps.ts';
import { hashBytes, type CheckpointManifest, type CheckpointStore, type RenameJournal } from './checkpoints.ts';
import { syncDir } from './full-write.ts';

/** What recovery needs from the workspace. */
export interface RecoveryHost {
  store: CheckpointStore;
  /**
   * The real path of a project file and its bytes (null: no file; `undefined`: something that is
   * not a regular file). Throws for a path the path guard refuses.
   */
  locate(rel: string): { real: string; bytes: Buffer | null | undefined };
  /** Restores every file of the checkpoint to its state before the set, journaled, and marks it undone. */
  restore(manifest: CheckpointManifest): void;
}

export interface RecoveryOptions {
  now?: number;
  isAlive?: (pid: number) => boolean;
}

type EntryState = 'done' | 'pending' | 'changed';

interface EntryCheck {
  path: string;
  state: EntryState;
  real: string;
  /** The intact temp holding the wanted bytes, when there is one. */
  temp: string | null;
  deletion: boolean;
}

/** Finishes or undoes every interrupted set of a dead process; returns one message per set handled. */
export function recoverInterruptedSets(host: RecoveryHost, options: RecoveryOptions = {}): string[] {
  const now = options.now ?? Date.now();
  const isAlive = options.isAlive ?? processAlive;
  const messages: string[] = [];
  for (const { id, journal, mtimeMs } of host.store.journals()) {
    if (journal && journal.pid !== process.pid && isAlive(journal.pid) && now - mtimeMs <= staleTempAgeMs) continue;
    const manifest = host.store.manifest(id);
    if (!journal || !manifest || journal.temps.length !== manifest.entries.length) {
      host.store.removeJournal(id);
      messages.push(`Removed an unreadable change-set journal in .assist/checkpoints/${id}; no file was changed.`);
      continue;
    }
    try {
      const message = recoverOne(host, journal, manifest);
      if (message) messages.push(message);
    } catch (error) {
      messages.push(
        `A change set (checkpoint ${id}) was interrupted by a crash and could not be repaired now: ${(error as Error).message} ` +
          'It will be tried again the next time assist starts here.',
      );
    }
  }
  return messages;
}

function recoverOne(host: RecoveryHost, journal: RenameJournal, manifest: CheckpointManifest): string | null {
  const id = manifest.id;
  const n = manifest.entries.length;
  const files = `${n} file${n === 1 ? '' : 's'}`;
  let checks: EntryCheck[];
  try {
    checks = manifest.entries.map((entry, i) => check(host, journal, entry, journal.temps[i]));
  } catch (error) {
    host.store.removeJournal(id);
    return `Ignored the change-set journal of checkpoint ${id}: ${(error as Error).message} No file was changed.`;
  }
  const temps = checks.map((c) => c.temp).filter((t): t is string => t !== null);
  const changed = checks.filter((c) => c.state === 'changed');
  const pending = checks.filter((c) => c.state === 'pending');
  const done = n - pending.length - changed.length;
  const verb = journal.kind === 'apply' ? 'applying' : 'undoing';
  const set = `a change set (${files}, checkpoint ${id})`;
  // Our own pid: a rename failed in this process just now; another: a session died mid-set.
  const stopped = journal.pid === process.pid ? `A rename failed while ${verb} ${set}` : `An earlier session was stopped while ${verb} ${set}`;
  if (changed.length > 0) {
    removeAll(temps);
    host.store.removeJournal(id);
    return (
      `${stopped}, and ${list(changed.map((c) => c.path))} changed since, ` +
      `so the set was neither finished nor undone: ${done} of its files have the ${journal.kind === 'apply' ? 'new' : 'earlier'} content and ` +
      `${pending.length} the ${journal.kind === 'apply' ? 'old' : 'later'}. Check ${changed.length === 1 ? 'that file' : 'those files'} by hand.`
    );
  }
  if (pending.length === 0) {
    removeAll(temps);
    if (journal.kind === 'undo') host.store.markUndone(id);
    host.store.removeJournal(id);
    return null;
  }
  const all = list(manifest.entries.map((e) => e.path));
  if (journal.kind === 'apply' && pending.every((c) => c.deletion || c.temp !== null)) {
    const dirs = new Set<string>();
    for (const c of pending) {
      if (c.deletion) {
        try {
          unlinkSync(c.real);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      } else renameSync(c.temp!, c.real);
      dirs.add(path.dirname(c.real));
    }
    for (const dir of dirs) syncDir(dir);
    removeAll(temps.filter((t) => !pending.some((c) => c.temp === t)));
    host.store.removeJournal(id);
    return (
      `${stopped} after ${done} of ${n} files were written. ` +
      `The set has been completed: ${all} now ${n === 1 ? 'has' : 'have'} the approved content. /undo restores the state before it.`
    );
  }
  const lost = pending.filter((c) => !c.deletion && c.temp === null).map((c) => c.path);
  host.restore(manifest);
  removeAll(temps);
  return journal.kind === 'apply'
    ? `${stopped} after ${done} of ${n} files were written, ` +
        `and the new content of ${list(lost)} was lost, so it could not be completed. The set has been undone: ${all} ${n === 1 ? 'is' : 'are'} as before it.`
    : `${stopped}. The undo has been completed: ${all} ${n === 1 ? 'is' : 'are'} as before that change set.`;
}

function check(host: RecoveryHost, journal: RenameJournal, entry: CheckpointManifest['entries'][number], tempName: string | null): EntryCheck {
  const located = host.locate(entry.path);
  const want = journal.kind === 'apply' ? entry.afterHash : entry.beforeHash;
  const from = journal.kind === 'apply' ? entry.beforeHash : entry.afterHash;
  const now = located.bytes === undefined ? undefined : hashBytes(located.bytes);
  const state: EntryState = now === want ? 'done' : now === from ? 'pending' : 'changed';
  let temp: string | null = null;
  if (tempName !== null) {
    if (!isApplyTempName(tempName)) throw new Error(`it names ${JSON.stringify(tempName)}, which is not an apply temp file.`);
    const candidate = path.join(path.dirname(located.real), tempName);
    if (lstatSync(candidate, { throwIfNoEntry: false })?.isFile() && hashBytes(readFileSync(candidate)) === want) temp = candidate;
  }
  return { path: entry.path, state, real: located.real, temp, deletion: want === null };
}

function removeAll(files: string[]): void {
  for (const file of files) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
}

function list(paths: string[]): string {
  if (paths.length <= 5) return paths.join(', ');
  return `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more`;
}
