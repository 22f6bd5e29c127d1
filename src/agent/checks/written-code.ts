/**
 * What the code a turn writes will do when it is used, told right after it is written or run, and
 * what is certain done by assist as its own change (approval as for any): a script that only
 * defines functions gets its call (script-entry.ts), a module the request asks to export a function
 * from gets the export (module-exports.ts); a C/C++ function the request names that is only declared
 * (declared-only.ts), a script that needs a file argument, a script line that calls one of the
 * agent's tools are said. Small models write these and then cannot see them: told in prose to add a
 * call, the 1.5B model rewrote the lines it had found, twice.
 */
import { existsSync } from 'node:fs';
import type { RepoIndex } from '../../index/repo-index.ts';
import { proposeAndApply } from '../../../tools/change-flow.ts';
import { appliedChanges, toolForRole, type Tool, type ToolContext, type ToolResult } from '../../../tools/tool.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import type { AgentEvent } from '../events.ts';
import { declaredOnly, declaredOnlyNote } from './declared-only.ts';
import { runsFile } from '../intake/expected-output.ts';
import { missingExport } from './module-exports.ts';
import { commandToCheck, describeCall } from '../next-step.ts';
import { fileArgumentFor, missingArgumentsNote, toolInCodeNote, uncalledEntry, uncalledEntryNote, withEntryCall } from './script-entry.ts';
import { filesNamedIn } from '../intake/task-files.ts';
import { runPassed } from '../attempts.ts';

/** What the notes need of the agent. */
export interface WrittenCodeDeps {
  workspace: Workspace;
  offered: ReadonlyArray<Tool<any>>;
  /** How calls are written for the model (describeCall's format). */
  format: Parameters<typeof describeCall>[2];
  index: () => RepoIndex | undefined;
  toolContext: (signal: AbortSignal) => ToolContext;
  emit: (event: AgentEvent) => void;
}

/** A note for the model after an action, and the next step to suggest instead of the usual one. */
export interface WrittenCodeNote {
  note: string;
  next?: string;
}

export class WrittenCode {
  constructor(private readonly deps: WrittenCodeDeps) {}

  /** A project file's text, or undefined when it is gone or unreadable. */
  private read(file: string): Promise<string | undefined> {
    return this.deps.workspace.readText(file).catch(() => undefined);
  }

  /**
   * The note after `observation` (an applied change or a run); `changed`: the files changed this
   * turn; `scriptTask`: the request asks for a script or program.
   */
  async after(
    observation: ToolResult,
    changed: readonly string[],
    options: { scriptTask: boolean; request: string; signal: AbortSignal; expectedOutput?: string },
  ): Promise<WrittenCodeNote | undefined> {
    return (
      (await this.scriptNotes(observation, changed, options.scriptTask, options.request, options.signal, options.expectedOutput)) ??
      (await this.declaredOnlyNotes(observation, options.request)) ??
      (await this.exportNotes(observation, options.request, options.signal))
    );
  }

  /**
   * Notes on a script the turn writes (script-entry.ts): after a change that leaves one only
   * defining functions, and after a run of one that printed nothing, that nothing calls them (with
   * the call to add, and a next step that says to add it); after a run that gave no arguments to a
   * script that reads them, that it needs them (those only when the request asks for a script or
   * program); after any failed run of a changed file, the lines of it that call one of the agent's
   * tools. `changed`: the files changed this turn.
   */
  private async scriptNotes(
    observation: ToolResult,
    changed: readonly string[],
    scriptTask: boolean,
    request: string,
    signal: AbortSignal,
    expectedOutput?: string,
  ): Promise<{ note: string; next?: string } | undefined> {
    if (appliedChanges(observation)) {
      if (!scriptTask) return undefined;
      const create = toolForRole(this.deps.offered, 'createFile')?.tool.name;
      // the script is the first runnable file the request names, when it names one: a module beside it only defines, by design
      const script = filesNamedIn(request).find((f) => commandToCheck(f) !== '');
      const isScript = (file: string) => script === undefined || file === script || file.endsWith(`/${script}`);
      for (const file of writtenFiles(observation).filter(isScript)) {
        const text = await this.read(file);
        const entry = text === undefined ? undefined : uncalledEntry(file, text, request);
        if (!entry || text === undefined) continue;
        // a call whose arguments are known (none, or the one number the request names): assist adds it (approval as for any change)
        if (entry.call) {
          const call = entry.call;
          const added = await proposeAndApply(this.deps.toolContext(signal), async () => [
            await this.deps.workspace.proposeChange(file, withEntryCall(text, call)),
          ]);
          if (appliedChanges(added)) {
            this.deps.emit({ type: 'notice', level: 'info', message: `Added the call of ${entry.name} at the end of ${file}: it only defined functions.` });
            const from = entry.args?.length ? ` (${entry.args.join(', ')} from the request; change it if the task means another value)` : '';
            return { note: `${file} only defined functions, so running it ran nothing: assist added the call at its end${from}:\n${call}` };
          }
        }
        const note = uncalledEntryNote(file, text, commandToCheck(file, text), create, request, expectedOutput);
        return { note, next: `Next: ${fixHow(note, file, create)}, then run it.` };
      }
      for (const file of writtenFiles(observation)) {
        const text = await this.read(file);
        const withArgs = text === undefined ? undefined : await this.runWithFileArgument(file, text, request);
        if (withArgs) return { note: '', next: `Next: check the change, run it with a file as its argument: ${withArgs}.` };
      }
      return undefined;
    }
    const run = observation.run;
    if (!run || run.code !== undefined) return undefined;
    for (const file of changed) {
      if (!runsFile(run.command, file)) continue;
      const text = await this.read(file);
      if (text === undefined) continue;
      const tool = runPassed(run)
        ? ''
        : toolInCodeNote(
            file,
            text,
            `${run.stdout}\n${run.stderr}`,
            this.deps.offered.map((t) => t.name),
          );
      if (tool) return { note: tool };
      if (!scriptTask) continue;
      const bare = commandToCheck(file, text);
      if (!runPassed(run) && run.stdout.trim() === '') {
        const create = toolForRole(this.deps.offered, 'createFile')?.tool.name;
        const uncalled = uncalledEntryNote(file, text, run.command, create, request, expectedOutput);
        if (uncalled)
          return {
            note: uncalled,
            next: `Next: ${fixHow(uncalled, file, create)}, then run it again.`,
          };
      }
      const args = missingArgumentsNote(file, text, run.command, bare);
      const withArgs = args ? await this.runWithFileArgument(file, text, request) : undefined;
      if (args) return { note: args, ...(withArgs ? { next: `Next: run it with a file as its argument: ${withArgs}.` } : {}) };
    }
    return undefined;
  }

  /**
   * How to run the change when the project has no tests: the command the request names, else the
   * command that runs the last changed file that has one (next-step.ts `commandToCheck`).
   */
  async runCallFor(changed: readonly string[], runNamed: string | undefined): Promise<{ runCall?: { call: string; command: string } }> {
    const runner = toolForRole(this.deps.offered, 'runCommand');
    if (!runner) return {};
    let command = runNamed;
    for (const file of [...changed].reverse()) {
      if (command) break;
      command = commandToCheck(file, await this.read(file)) || undefined;
    }
    return command ? { runCall: { call: describeCall(runner.tool, runner.call(command), this.deps.format), command } } : {};
  }

  /** The run call of script `file` with a file as its argument (script-entry.ts `fileArgumentFor`), when it takes one. */
  private async runWithFileArgument(file: string, text: string, request: string): Promise<string | undefined> {
    const runner = toolForRole(this.deps.offered, 'runCommand');
    const bare = commandToCheck(file, text);
    if (!runner || !bare) return undefined;
    // a file the request names that exists and is no code: the input it means
    const exists = (f: string) => {
      try {
        return existsSync(this.deps.workspace.resolve(f));
      } catch {
        return false;
      }
    };
    const named = filesNamedIn(request).filter((f) => f !== file && !commandToCheck(f) && exists(f));
    const arg = fileArgumentFor(file, text, request, named);
    return arg
      ? describeCall(runner.tool, runner.call(`${bare} ${/^[\w./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`}`), this.deps.format)
      : undefined;
  }

  /**
   * After a change: the export a JavaScript/TypeScript module lacks of what the request asks it to
   * export (module-exports.ts), added by assist as its own change (approval as for any change).
   */
  private async exportNotes(observation: ToolResult, request: string, signal: AbortSignal): Promise<{ note: string; next?: string } | undefined> {
    if (!appliedChanges(observation)) return undefined;
    for (const file of writtenFiles(observation)) {
      const text = await this.read(file);
      const missing = text === undefined ? undefined : missingExport(file, text, request);
      if (!missing) continue;
      const added = await proposeAndApply(this.deps.toolContext(signal), async () => [await this.deps.workspace.proposeChange(file, missing.text)]);
      if (!appliedChanges(added)) continue;
      this.deps.emit({ type: 'notice', level: 'info', message: `Made the export the request asks for in ${file}: ${missing.what}.` });
      return { note: `${file} defined ${missing.names.join(', ')} without exporting it, which the task asks for: assist ${missing.what}.` };
    }
    return undefined;
  }

  /**
   * After a change: the C/C++ functions the request names that a changed file only declares and no
   * file of the project defines (declared-only.ts), with a next step that says to write them.
   */
  private async declaredOnlyNotes(observation: ToolResult, request: string): Promise<{ note: string; next?: string } | undefined> {
    if (!appliedChanges(observation)) return undefined;
    const applied = writtenFiles(observation);
    const notes: string[] = [];
    for (const file of applied) {
      const text = await this.read(file);
      if (text === undefined) continue;
      const candidates = declaredOnly(file, text, request, []);
      if (candidates.length === 0) continue;
      // the files that might define them: the other changed files, and those the index has the names in
      const where = new Set(applied.filter((f) => f !== file));
      for (const name of candidates) {
        try {
          for (const def of this.deps.index()?.symbols(name, { maxRefs: 0 }).defs ?? []) if (def.path !== file) where.add(def.path);
        } catch {
          // no index: the changed files only
        }
      }
      const others: Array<{ path: string; text: string }> = [];
      for (const other of where) {
        const otherText = await this.read(other);
        if (otherText !== undefined) others.push({ path: other, text: otherText });
      }
      const names = declaredOnly(file, text, request, others);
      if (names.length) notes.push(declaredOnlyNote(file, names));
    }
    if (notes.length === 0) return undefined;
    const create = toolForRole(this.deps.offered, 'createFile')?.tool.name;
    return { note: notes.join('\n'), next: `Next: write the missing body${create ? ` (${create} the whole file, with the body in it)` : ''}, then check it.` };
  }
}

/** What the next step does about a script that runs nothing (`note`, from uncalledEntryNote). */
function fixHow(note: string, file: string, create: string | undefined): string {
  if (!create) return `add the call at the end of ${file}`;
  return /can be just this line/.test(note) ? `${create} ${file} with that line` : `${create} ${file} whole, with the call at its end`;
}

/** The files an applied change wrote (not those it deleted). */
function writtenFiles(observation: ToolResult): string[] {
  return observation.edit!.applied.filter((file) => !observation.edit!.deleted.includes(file));
}
