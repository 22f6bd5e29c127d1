/**
 * What code completion reads before the code it writes or reads: the request (as TASK.md), the
 * files the model has seen (code first, tests last, nearest the gap; the code under test first for
 * a new test file), and a window of a long file around the gap (infill-window.ts), within a budget
 * of tokens, since every token is read before the first is written. The tools' code completion
 * (body-rewrite.ts) and the model's doubts of lines (token-doubts.ts) go through here, and each read
 * is logged with the files and tokens it took (where its time goes).
 */
import type { DoubtAsk, InfillAsk } from '../../../tools/tool.ts';
import type { RepoIndex } from '../../index/repo-index.ts';
import type { LanguageModel, LineDoubt } from '../../model/language-model.ts';
import { addedProse, singleSpaced } from '../../text/comment-prose.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { anyTestFile } from '../checks/test-guard.ts';
import { cutToTokens, headWithin } from '../context.ts';
import type { SeenFiles } from '../seen-files.ts';
import { infillContextFiles } from './infill-repair.ts';
import { infillWindow } from './infill-window.ts';

/** The name the request goes by among the files before an infill's gap. */
const requestFileName = 'TASK.md';

/** Tokens left at least for a test's head to be read before a gap, when the whole test does not fit. */
const minTestHeadTokens = 400;

/** Tokens code completion reads before a gap at most, files and the gap's own text together, unless asked otherwise. */
const defaultInfillTokens = 3072;
/** Tokens kept for what code completion writes when the files before the gap are chosen (a body of ~40 lines). */
const writtenReserveTokens = 512;

/** What the reads need of the session, and of the turn as it is now. */
export interface CompletionReadsDeps {
  model: LanguageModel;
  workspace: Workspace;
  seen: SeenFiles;
  index(): RepoIndex | undefined;
  turn(): {
    request: string;
    /** The last failing run's output: a test file it names is read before the code. */
    failureOutput: string;
    newTestFile: string | undefined;
    testSubjectFile: string | undefined;
  };
  notice(message: string, detail: Record<string, unknown>): void;
}

export class CompletionReads {
  constructor(private readonly deps: CompletionReadsDeps) {}

  /**
   * The model's fill-in-the-middle for a tool (body-rewrite.ts), with the other files the model has
   * seen as context: code first, tests last (nearest the gap), within the budget of infillFiles.
   */
  async infill(request: InfillAsk, signal: AbortSignal): Promise<string | undefined> {
    const model = this.deps.model;
    if (!model.infill) return undefined;
    const { contextTokens, withoutTests, code: isCode, ...ask } = request;
    const window = infillWindow(request.prefix, request.suffix, this.windowTokens(contextTokens), (t) => model.countTokens(t));
    const code = window.prefix + window.suffix;
    const fileText = await this.workspaceText(request.path);
    const { files, tokens } = await this.infillFiles(request.path, this.targetTokens(fileText ?? code), contextTokens, withoutTests);
    this.deps.notice(`Code completion in ${request.path}.`, { ...this.readLog(files, tokens, code), ...(window.leftOut ? { leftOut: window.leftOut } : {}) });
    // (a body is code: comments that copy the request, the notes above the gap or the files read before it are not)
    const copiedProse = isCode ? [addedProse(window.prefix, fileText ?? ''), ...files.map((f) => singleSpaced(f.text))].join(' ') : '';
    return model.infill({
      ...ask,
      prefix: window.prefix,
      suffix: window.suffix,
      files,
      signal,
      timeoutMs: request.timeoutMs ?? 60_000,
      ...(copiedProse ? { copiedProse } : {}),
    });
  }

  /** Where the model doubts lines of a file (token-doubts.ts), with the files an infill of it reads before them. */
  async doubts(request: DoubtAsk, signal: AbortSignal): Promise<LineDoubt[] | undefined> {
    const model = this.deps.model;
    if (!model.doubts) return undefined;
    const lines = request.lines.join('\n');
    const prefix = infillWindow(request.prefix, '', Math.max(0, this.windowTokens() - model.countTokens(lines)), (t) => model.countTokens(t)).prefix;
    const code = `${prefix}${lines}`;
    const { files, tokens } = await this.infillFiles(request.path, this.targetTokens((await this.workspaceText(request.path)) ?? code));
    this.deps.notice(
      `Code completion reads ${request.lines.length} lines of ${request.path} for what it would write otherwise.`,
      this.readLog(files, tokens, code),
    );
    return model.doubts({ ...request, prefix, files, signal, timeoutMs: request.timeoutMs ?? 60_000 });
  }

  /** For the log of a read by code completion: the files before the code, and the tokens of the whole prompt (where its time goes). */
  private readLog(files: ReadonlyArray<{ path: string }>, filesTokens: number, code: string): Record<string, unknown> {
    return { files: files.map((f) => f.path), tokens: filesTokens + this.deps.model.countTokens(code) };
  }

  /**
   * Tokens of a file's own code that code completion reads around a gap at most (infill-window.ts):
   * as many as it reads in all (the files before it take up to half again). Half of that cut
   * timeutil.py's 43 top lines from under pyapp-extract-week-bounds' new function (2,686 tokens to
   * 2,249), and the model wrote its week's end from the day instead of from the week's start; it
   * had passed whole. A file of a few hundred lines is read whole; the window is for longer ones.
   */
  private windowTokens(contextTokens = defaultInfillTokens): number {
    return Math.min(contextTokens, Math.floor(this.deps.model.info.contextSize / 4));
  }

  /**
   * The tokens to count for code that the model completes or reads, when choosing the files put
   * before it: `text`, the whole file as it is in the workspace (the code asked about, for a file not
   * written yet), and room for what is written, the same for every function of the file and for a
   * read as for a write. Counted from the code before the gap, the choice changed with where
   * the function is, so the files read for one function were not those of the next and nothing was
   * reused: pyapp-fix-date-filter's read of `where`, 100 lines above `list_entries`, had room for
   * another file and took 73 s, and the repair's time ran out; with the same files, 24 s.
   */
  private targetTokens(text: string): number {
    return this.deps.model.countTokens(text) + writtenReserveTokens;
  }

  /** The text of `path` in the workspace; undefined for a file not written yet. */
  private async workspaceText(path: string): Promise<string | undefined> {
    try {
      return await this.deps.workspace.readText(path);
    } catch {
      return undefined;
    }
  }

  /**
   * The files put before code of `path` that the model completes or reads (`used`: the tokens of
   * that code): the request, then the files seen (code first, tests last, nearest the code), up to
   * 3,072 tokens in all (`tokens`, when the ask gives more); no test file when `withoutTests`. With
   * them, the tokens they take.
   */
  private async infillFiles(
    path: string,
    used: number,
    tokens = defaultInfillTokens,
    withoutTests = false,
  ): Promise<{ files: Array<{ path: string; text: string }>; tokens: number }> {
    const model = this.deps.model;
    const turn = this.deps.turn();
    // (every token of it is read before the first one is written: the 1.5B model read ~64 tokens/s on
    // two cores in the eval, so 3,072 take ~48 s at that rate, once; the bodies tried after reuse it)
    const budget = Math.min(tokens, Math.floor(model.info.contextSize / 4));
    // (half the budget at least for the files: a long file's tests are the context its fix needs most)
    used = Math.min(used, Math.floor(budget / 2));
    const charged = used;
    let listed: string[] = [];
    try {
      listed = this.deps.index()?.files() ?? [];
    } catch {
      // no list: the files seen are context enough
    }
    const ordered = infillContextFiles(path, this.deps.seen.list(), listed, turn.failureOutput).filter((file) => !withoutTests || !anyTestFile([file]));
    // (the new test file's code under test is chosen first: without it the tests call what is not there)
    const first = path === turn.newTestFile && turn.testSubjectFile && ordered.includes(turn.testSubjectFile) ? turn.testSubjectFile : undefined;
    const files: Array<{ path: string; text: string }> = [];
    // the request first, as a file of the project (an exercise's prose says what the code must do;
    // the tests only show it), cut to a third of the budget
    const asked = turn.request.trim() ? cutToTokens(turn.request.trim(), Math.floor(budget / 3), (t) => model.countTokens(t), '') : '';
    if (asked) used += model.countTokens(asked) + 8;
    // then nearest first when choosing what fits: the tests, then code seen last
    for (const file of first ? [first, ...[...ordered].reverse().filter((f) => f !== first)] : [...ordered].reverse()) {
      let text: string;
      try {
        text = await this.deps.workspace.readText(file);
      } catch {
        continue;
      }
      let cost = model.countTokens(text) + 8;
      if (used + cost > budget) {
        // for a new test file, a test too long for what is left: its head (imports, helpers, the first
        // tests) is what shows how the project writes tests (ts-add-test-availability: test/services.test.ts,
        // 92 lines, did not fit beside availability.ts, and the new file was written as a copy of the code under test)
        if (path !== turn.newTestFile || !anyTestFile([file]) || budget - used < minTestHeadTokens) continue;
        text = headWithin(text, budget - used - 8, (t) => model.countTokens(t));
        cost = model.countTokens(text) + 8;
        if (!text || used + cost > budget) continue;
      }
      used += cost;
      files.unshift({ path: file, text });
    }
    // code first, tests last: the code under test, chosen first, goes before the tests too (nearest the
    // gap it was copied whole: ts-add-test-availability's new test file began as availability.ts again)
    const codeThenTests = [...files.filter((f) => !anyTestFile([f.path])), ...files.filter((f) => anyTestFile([f.path]))];
    if (asked) codeThenTests.unshift({ path: requestFileName, text: `${asked}\n` });
    return { files: codeThenTests, tokens: used - charged };
  }
}
