/**
 * What assist does with the test files a turn writes, before they are shown and when their writing
 * is stopped: the corrections that are certain (tests written over the code they test moved to the
 * test file to add, a copy of the code under test replaced by its import, top-level pytest asserts
 * put in test functions, top-level minitest methods put in a test class), the refusal of a copy it cannot replace, and the complete part of a new
 * test file the model did not finish. The rules are in their own modules (new-test-file.ts,
 * copied-code.ts, bare-asserts.ts, partial-write.ts); this joins them to the project's index and
 * workspace for the agent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { languageOf } from '../../index/languages.ts';
import type { RepoIndex, SymbolDef } from '../../index/repo-index.ts';
import type { ActionFormat } from '../../model/action-protocol.ts';
import type { Action } from '../../model/language-model.ts';
import type { FileChange } from '../../workspace/approval.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { syntaxGate } from '../../../tools/change-flow.ts';
import { type Tool, toolForRole } from '../../../tools/tool.ts';
import { assertsAsTests, methodsAsMinitest } from './bare-asserts.ts';
import { type CopiedDefinition, copiedDefinitions, copiesRefusal, replaceCopies } from './copied-code.ts';
import { testsOverCode } from './new-test-file.ts';
import { completeParts } from './partial-write.ts';
import { anyTestFile, testDefinitions } from '../checks/test-guard.ts';

export class TestWriting {
  constructor(
    private readonly options: {
      workspace: Workspace;
      /** The project's index as it is now (it is rebuilt after edits); undefined while there is none. */
      index: () => RepoIndex | undefined;
      /** Files larger than this are not syntax-checked (config.index.maxFileBytes). */
      maxFileBytes: number;
      /** Tells the person what assist changed in the model's text. */
      notice: (message: string) => void;
    },
  ) {}

  /**
   * The one project file, not a test, that defines `name` at its top level (a function, class,
   * type...) in `language`; undefined when none or several do, or there is no index. `any`: the
   * first file defining it at all, tests and variables too (whether the name is the project's).
   */
  definerOf(name: string, language: string, any = false): string | undefined {
    let defs: SymbolDef[];
    try {
      defs = this.options.index()?.symbols(name, { maxRefs: 0 }).defs ?? [];
    } catch {
      return undefined;
    }
    if (any) return defs[0]?.path;
    const files = new Set(
      defs.filter((d) => d.kind !== 'method' && d.kind !== 'variable' && languageOf(d.path) === language && !anyTestFile([d.path])).map((d) => d.path),
    );
    return files.size === 1 ? [...files][0] : undefined;
  }

  /** The copies of the project's code in a test file `change` writes (copied-code.ts); none without an index. */
  private copiesIn(change: FileChange): CopiedDefinition[] {
    if (!this.options.index() || change.after === null) return [];
    return copiedDefinitions(
      change.path,
      change.after,
      (name, language) => this.definerOf(name, language),
      (file) => {
        try {
          return readFileSync(this.options.workspace.resolve(file), 'utf8');
        } catch {
          return undefined;
        }
      },
    );
  }

  /**
   * A change set of a turn asked for tests of `subject`, as assist corrects it before it is shown:
   * tests written over the code they test go to `newTestFile` (the test file the turn is to add,
   * when it is not there yet or this turn wrote it: `turnChanged`),
   * the copies test files make of the project's code give way to imports, and top-level pytest
   * asserts become test functions, where each is certain. Undefined when nothing was corrected.
   */
  async amend(
    changes: readonly FileChange[],
    newTestFile: string | undefined,
    subject: string,
    turnChanged: readonly string[] = [],
  ): Promise<{ changes: FileChange[]; notes: string[] } | undefined> {
    const { workspace } = this.options;
    const notes: string[] = [];
    const out: FileChange[] = [];
    // the test file to add, not there yet or written by this turn (pyapp-test-export wrote its tests over export.py
    // again after tests/test_export.py was written)
    const free = (file: string) => {
      if (turnChanged.includes(file)) return true;
      try {
        return !existsSync(workspace.resolve(file));
      } catch {
        return false; // outside the project
      }
    };
    for (const proposed of changes) {
      let change = proposed;
      /** Proposes `text` for `file` in place of the change so far, with its words for the model and the person. */
      const amend = async (file: string, text: string, what: string) => {
        change = await workspace.proposeChange(file, text);
        notes.push(what);
        this.options.notice(what);
      };
      if (
        newTestFile &&
        !anyTestFile([change.path]) &&
        !changes.some((c) => c.path === newTestFile) &&
        free(newTestFile) &&
        testsOverCode(change.before, change.after, (text) => testDefinitions(text).length)
      )
        await amend(
          newTestFile,
          change.after!,
          `The text written to ${change.path} is tests of it, so assist wrote it to ${newTestFile}, the test file to add; ${change.path} stays as it was.`,
        );
      const copies = this.copiesIn(change);
      const sources = new Map<string, string | undefined>();
      for (const copy of copies) sources.set(copy.from, await workspace.readText(copy.from).catch(() => undefined));
      const replaced = copies.length > 0 && change.after !== null ? replaceCopies(change.path, change.after, copies, (file) => sources.get(file)) : undefined;
      if (replaced) await amend(change.path, replaced.text, replaced.what);
      const wrapped = change.after === null ? undefined : assertsAsTests(change.path, change.after, subject);
      if (wrapped) await amend(change.path, wrapped.text, wrapped.what);
      const classed = change.after === null ? undefined : methodsAsMinitest(change.path, change.after);
      if (classed) await amend(change.path, classed.text, classed.what);
      out.push(change);
    }
    return notes.length > 0 ? { changes: out, notes } : undefined;
  }

  /** The refusal of a test file's copies of the project's code that `amend` could not replace. */
  copiesHeld(changes: readonly FileChange[]): string | undefined {
    for (const change of changes) {
      const copies = this.copiesIn(change);
      if (copies.length > 0) return copiesRefusal(change.path, copies);
    }
    return undefined;
  }

  /**
   * The complete tests of a new test file whose write was stopped (`partial`: the action as far as
   * it was written; `looped`: stopped for repeating itself, not at the token limit), as a write of
   * just those with the tools `offered`; undefined when it is not one, nothing complete holds a test,
   * or that part does not parse.
   */
  completeTests(
    partial: string,
    looped: boolean,
    offered: ReadonlyArray<Tool<any>>,
    format: ActionFormat,
  ): { action: Action; path: string; tests: number; edit?: string } | undefined {
    const create = toolForRole(offered, 'createFile')?.tool;
    if (format !== 'text' || !create?.text || create.text.form !== 'fence') return undefined;
    const parts = completeParts(partial, new Map([[create.name, create.text.arg]]), looped);
    if (parts.length === 0 || !anyTestFile([parts[0].path])) return undefined;
    try {
      if (existsSync(this.options.workspace.resolve(parts[0].path))) return undefined;
    } catch {
      return undefined; // outside the project
    }
    const part = parts.find(
      (p) => testDefinitions(p.content).length > 0 && !syntaxGate([{ path: p.path, before: null, after: p.content, diff: '' }], this.options.maxFileBytes),
    );
    if (!part) return undefined;
    const edit = toolForRole(offered, 'editFile')?.tool.name;
    return {
      action: { thought: part.thought, tool: create.name, args: { path: part.path, [create.text.arg]: part.content } },
      path: part.path,
      tests: testDefinitions(part.content).length,
      ...(edit ? { edit } : {}),
    };
  }
}
