/**
 * The books of one turn: which files it changed, every run and which of them count as attempts,
 * whether the files as they stand were checked by a passing run, and whether an answer should be
 * sent back (a change request answered with no change; a change answered before any run). The
 * agent loop asks; the ledger decides.
 */
import type { ToolResult } from '../../tools/tool.ts';
import { appliedChanges } from '../../tools/tool.ts';
import { AttemptTracker, type AttemptRecord, runPassed } from './attempts.ts';
import { runFingerprint } from './repeat-detector.ts';

/** A note to send the model instead of taking its answer, and the line that tells the person why. */
export interface AnswerReminder {
  note: string;
  notice: string;
  /** The reminder that the request asks for a change and none was made. */
  unchanged?: true;
}

export class TurnLedger {
  readonly attempts = new AttemptTracker();
  /** Project files this turn changed, in order of first change. */
  readonly changed: string[] = [];
  /** Files changed after the last run. */
  private untested = false;
  private askedToTest = false;
  private askedToChange = false;
  private askedToPass = false;
  private askedToAnswer = false;
  private askedOnTarget = false;
  /** Answers sent back for repeating the question word for word. */
  private restated = 0;
  /** Answers sent back for saying what the model will do, while what it changed still fails. */
  private planned = 0;
  /** The first failure line of the project's tests when their last run failed; undefined once they pass (or before they ran). */
  private testsFailing: string | undefined;
  /**
   * Without tests: the last run of the changed code (`python3 fib.py` after fib.py was written),
   * while it fails: an answer then goes back once, as it does while the tests fail (py-hello's model
   * answered "Set the test command in .assistrc.json." right after its script printed nothing).
   */
  private checkFailing: { command: string; line: string } | undefined;
  /** The person declined a change or a run: the model's answer then stands as it is. */
  private declined = false;
  /** An answer with no test written, in a turn asked for tests, went back. */
  private askedForTests = false;
  /** An answer while a name the request asks to be made was defined nowhere went back. */
  private askedForNames = false;
  /** A tool outside assist (an MCP server's) acted this turn: a change may have been made where assist cannot see. */
  private actedOutside = false;
  /** The last failed run, and whether files changed since: the same failure again is no new attempt. */
  private lastFailure = '';
  private changedSinceFailure = true;
  /** A passing run that checked the files after the last change. */
  private verifiedBy: number | undefined;

  /**
   * `testCommand`: the project's test command, when it has one; `reproCommand`: without one, the
   * command the request says misbehaves (its passing run checks the change like the tests would).
   */
  constructor(
    private testCommand: string | undefined,
    private readonly reproCommand?: string,
  ) {}

  /** The test command found once the turn's new test file is there (a project with no tests before it), when none was known. */
  testsFrom(command: string): void {
    this.testCommand ??= command;
  }

  /** Whether the files as the turn leaves them were checked by a passing run that exercises them. */
  get verified(): boolean {
    return this.verifiedBy !== undefined;
  }

  /**
   * Books a run the agent made before the first step (the intake's tests): not an attempt, but an
   * answer while they fail goes back, and the model's own run of the same failure is a repeat.
   */
  noteRunBefore(run: NonNullable<ToolResult['run']>): void {
    this.noteTestsFailing(run);
    if (!runPassed(run)) {
      this.lastFailure = runKey(run);
      this.changedSinceFailure = false;
    }
  }

  /** Books whether a run of the tests failed: an answer while they fail goes back. */
  private noteTestsFailing(run: NonNullable<ToolResult['run']>): void {
    if (this.runsTests(run)) this.testsFailing = runPassed(run) ? undefined : firstFailureLine(`${run.stdout}\n${run.stderr}`);
    else if (this.changed.length > 0 && checksChangedCode(run, this.changed, this.testCommand))
      this.checkFailing = runPassed(run)
        ? undefined
        : {
            command: run.command,
            line: run.missingOutput !== undefined ? 'it did not print what the task expects' : firstFailureLine(`${run.stdout}\n${run.stderr}`),
          };
  }

  /** The first failing line of the last run of the tests, while they fail. */
  get failing(): string | undefined {
    return this.testsFailing;
  }

  /** The same, when that run was of the files as they are (no change after it). */
  get failingNow(): string | undefined {
    return this.untested ? undefined : this.testsFailing;
  }

  /** A run of the project's tests, or of any command that says it runs tests (`python3 -m unittest test_calc`). */
  private runsTests(run: NonNullable<ToolResult['run']>): boolean {
    if (this.testCommand !== undefined && run.command.trim() === this.testCommand.trim()) return true;
    return run.code === undefined && /test|spec/i.test(run.command);
  }

  /**
   * Books an observation; returns its run's attempt, if it had a run, whether that run only repeated
   * the last failure (`repeat`), and whether it failed word for word as the last failure did though
   * files changed in between (`unmoved`: the change did nothing to what the run does).
   */
  record(observation: ToolResult): { attempt?: AttemptRecord; repeat: boolean; unmoved?: boolean } {
    if (observation.error?.code === 'rejected') this.declined = true;
    // (an MCP server's write is a change assist cannot see: no reminder that nothing changed)
    if (observation.actedOutside && !observation.error) this.actedOutside = true;
    if (appliedChanges(observation)) {
      this.changedSinceFailure = true;
      this.verifiedBy = undefined;
      for (const file of observation.edit!.applied) if (!this.changed.includes(file)) this.changed.push(file);
    }
    const run = observation.run;
    if (!run) {
      if (appliedChanges(observation)) this.untested = true;
      return { repeat: false };
    }
    this.untested = false;
    const passed = runPassed(run);
    this.noteTestsFailing(run);
    const key = runKey(run);
    // the same failure again with nothing changed in between is a repeat, not a new attempt
    const repeat = !passed && !this.changedSinceFailure && key === this.lastFailure;
    const unmoved = !passed && this.changedSinceFailure && key === this.lastFailure;
    const attempt = this.attempts.add(run, { repeat });
    if (!passed) {
      this.lastFailure = key;
      this.changedSinceFailure = false;
    }
    const reproduces = this.reproCommand !== undefined && run.command.trim() === this.reproCommand.trim();
    if (passed && (reproduces || checksChangedCode(run, this.changed, this.testCommand))) this.verifiedBy = attempt.attempt;
    return { attempt, repeat, ...(unmoved ? { unmoved } : {}) };
  }

  /**
   * Why the answer should go back to the model, once per reason per turn: the request asked for a
   * change and none was made (unless the person declined one), files changed after the last run
   * and the tests can be run (`testCall` says how), or the last run of the tests failed.
   */
  answerReminder(options: {
    wantsChange: boolean;
    testCall?: string;
    runCall?: { call: string; command: string };
    /**
     * The answer, in a turn that asks a question (`request`): one that is itself a single question goes back once, with its
     * thought; one that repeats the request, or the note it was sent last (`lastNote`), goes back twice.
     */
    answerToQuestion?: { text: string; thought: string; request?: string; lastNote?: string };
    /** In a turn that asks a question: the note for an answer that misses what it asks for (answer-scope.ts: no function named, or none in the folder asked about). */
    offTarget?: string;
    /**
     * In a turn asked for new tests with no test file written yet: the file to write (named in the
     * request, or by the project's conventions) and the start of the action that writes it.
     */
    newTests?: { file?: string; start?: string };
    /** In a turn that asks for a change: the names the request asks to be made (asked-names.ts) that no file of the project defines. */
    missingNames?: string[];
    /**
     * The answer's text, in a turn that asks for a change, and what the model read last (the last
     * observation or note): a plan, or those words said back, is no report while the work fails.
     */
    answer?: { text: string; lastRead?: string };
  }): AnswerReminder | undefined {
    const asked = options.answerToQuestion;
    const saidBack =
      asked?.request && restates(asked.text, asked.request) ? 'question' : asked?.lastNote && restates(asked.text, asked.lastNote) ? 'note' : undefined;
    if (asked && saidBack && this.restated < 2) {
      // pyapp-question-page-size: "call answer now with just what it asks for", and the 1.5B model's answer was the
      // question, word for word, twice (a second question to the person stands; the person's own question is no answer);
      // pyapp-question-rounding: sent back for a number, its answer was the note's own words ("The question asks for the number, and your answer")
      this.restated++;
      return {
        notice: `The model answered with ${saidBack === 'question' ? 'the question itself' : 'the words of the note it was sent'}; it was asked to answer the question.`,
        note: `[Not yet: your answer repeats ${saidBack === 'question' ? "the user's question" : 'the note you were sent'}. Answer the question: give what it asks for (a number, a name, where in the code), citing the code as path:line.]`,
      };
    }
    if (asked && /^(?:(?![.!?]\s)[^\n])*\?$/.test(asked.text.trim()) && !this.askedToAnswer) {
      // pyapp-question-rounding: asked how entries are rounded on an invoice, the 1.5B model "answered"
      // "What is the billing rounding for a client's invoices?" (a question for the person still stands when asked again);
      // py-question-config's thought held the answer (`load_settings`) while its answer repeated the question, twice
      this.askedToAnswer = true;
      const thought =
        asked.thought.trim() && !/\?$/.test(asked.thought.trim()) ? ` Your thought was: "${asked.thought.trim()}"; if that answers it, answer with it.` : '';
      return {
        notice: 'The model answered the question with a question; it was asked to answer it.',
        note:
          "[Not yet: your answer is a question. Answer the user's question from the code you have read (look further if it does not say), " +
          `citing it as path:line.${thought} If you must ask the user something, answer again with that question.]`,
      };
    }
    if (options.offTarget && !this.askedOnTarget) {
      this.askedOnTarget = true;
      return { notice: 'The answer does not name the code the question asks for; it was sent back once.', note: options.offTarget };
    }
    if (options.newTests && !this.askedForTests && !this.declined) {
      // ts-add-test-router: "No changes needed." twice, after reading a test of the project; the request's
      // own words are that a test file is to be added, so "nothing needs to change" is no answer to it
      this.askedForTests = true;
      const { file, start } = options.newTests;
      return {
        notice: 'The model answered without writing the tests the request asks for; it was asked to write them.',
        note:
          `[Not yet: the request asks for new tests, and no test file was written. Write ${file ? `${file} now (named like the project's other tests)` : 'the test file now'}: ` +
          `tests that call the code and assert what it must return, written like the tests you have read.]${start ? `\n${start}` : ''}`,
      };
    }
    if (options.missingNames?.length && !this.askedForNames && !this.declined) {
      // cpp-extract-parse-cents: a usage message rewritten, the tests (passing before) passing, and the answer "updated to
      // use a single function `parse_cents`", which nothing defined
      this.askedForNames = true;
      const names = options.missingNames.map((name) => `\`${name}\``).join(', ');
      return {
        notice: `The model answered while no file defines ${names}, which the request asks for; it was sent back once.`,
        note:
          `[Not yet: the request asks for ${names}, and no file of the project defines ${options.missingNames.length === 1 ? 'it' : 'them'} yet. ` +
          'Write it where the request says, then make the code use it as asked, and run the tests.]',
      };
    }
    if (options.wantsChange && this.changed.length === 0 && !this.actedOutside && !this.askedToChange && !this.declined) {
      // Small models describe the fix in prose instead of making it.
      this.askedToChange = true;
      return {
        notice: 'The model answered without changing any file; it was reminded that the request asks for a change.',
        unchanged: true,
        note:
          '[Not yet: the request asks for a change to the project, and no file was changed. Make the change now with an edit tool. If nothing ' +
          'needs to change, answer again and say why.]',
      };
    }
    if (this.untested && options.testCall && this.testCommand && !this.askedToTest) {
      // Small models claim "the tests pass" without running them.
      this.askedToTest = true;
      return {
        notice: 'The model answered without testing its change; it was asked to run the tests first.',
        note:
          `[Not yet: you changed files after the last run. Run the tests first: ${options.testCall} (runs ${this.testCommand}); answer when you ` +
          `have seen the result.]`,
      };
    }
    if (this.untested && !this.testCommand && options.runCall && !this.askedToTest) {
      // without tests: py-fibonacci's model answered "I added the correct Fibonacci numbers" with its script never run
      this.askedToTest = true;
      return {
        notice: 'The model answered without running its change; it was asked to run it first.',
        note: `[Not yet: you changed files and have not run them since. Run it first: ${options.runCall.call} (runs ${options.runCall.command}); answer when you have seen the result.]`,
      };
    }
    // (not after the reminder to test: one nudge about running the tests is enough)
    if (options.wantsChange && this.testsFailing !== undefined && !this.askedToPass && !this.askedToTest && !this.declined) {
      // Small models answer "the tests pass" right after a run that failed.
      this.askedToPass = true;
      return {
        notice: 'The model answered while the tests still fail; it was asked to fix the code first.',
        note:
          `[Not yet: the last run of the tests failed${this.testsFailing ? ` (${this.testsFailing})` : ''}. Read the failure, fix the code it ` +
          `points at, and run the tests again. If they cannot pass, answer and say why.]`,
      };
    }
    if (options.wantsChange && this.checkFailing && this.testsFailing === undefined && !this.askedToPass && !this.askedToTest && !this.declined) {
      this.askedToPass = true;
      const { command, line } = this.checkFailing;
      return {
        notice: 'The model answered while the run of its change still fails; it was asked to fix the code first.',
        note:
          `[Not yet: the last run of your change (${command}) failed${line ? ` (${line})` : ''}. Fix the code it points at and run it again. If it ` +
          `cannot work, answer and say why.]`,
      };
    }
    // js-add-test: told to work out what the code returns and correct the test, the 1.5B model answered with those
    // words ("I need to work out from the code what it returns …"), after the one reminder that the tests fail
    // ruby-add-test-slug: its new tests failing, the model's answer was the note that had held its last change ("Leave
    // lib/slug.rb as it is and make the change in the other files …")
    const failing = this.testsFailing ?? this.checkFailing?.line;
    const answer = options.answer;
    if (options.wantsChange && answer && failing !== undefined && this.planned < maxPlansSentBack && !this.declined) {
      const why = plansAhead(answer.text)
        ? { said: 'says what you will do', was: 'what it would do next' }
        : answer.lastRead && restates(answer.text, answer.lastRead)
          ? { said: 'repeats what you were told', was: 'the words it was told' }
          : undefined;
      if (why) {
        this.planned++;
        return {
          notice: `The model answered with ${why.was} while its change still fails; it was asked to do the work.`,
          note:
            `[Not yet: your answer ${why.said} ("${answer.text.trim().slice(0, 120)}"), and the last run still fails${failing ? ` (${failing})` : ''}. ` +
            'Do it now with a tool; answer when it is done, with what you did.]',
        };
      }
    }
    return undefined;
  }
}

/** Plans (or words said back) sent back in one turn: then the model's answer stands (the step and time limits hold the rest). */
const maxPlansSentBack = 2;

/**
 * Whether an answer is a plan rather than a report: it opens with what the model is about to do
 * ("I need to …", "I will …", "Let me …", "Next, I …").
 */
export function plansAhead(answer: string): boolean {
  return /^\s*(?:I need to|I will|I'll|I am going to|I'm going to|I must|I should|Let me|Let's|Next,? I|Now,? I(?:'ll| will| need| must)|First,? I)\b/i.test(
    answer,
  );
}

/** What makes two runs the same: command, code, exit code and output (timings, seeds and order left out: runFingerprint). */
function runKey(run: NonNullable<ToolResult['run']>): string {
  return JSON.stringify([run.command, run.code ?? '', run.exitCode, runFingerprint(run.stdout), runFingerprint(run.stderr)]);
}

/**
 * An applied change's observation with the test run that followed it: the run's record (an
 * attempt like any other) and its text after the change's.
 */
export function withTestRun(change: ToolResult, tests: ToolResult, command: string): ToolResult {
  const forModel = `${change.forModel}\nThen the tests ran (${command}):\n${tests.forModel}`;
  return { ...change, forModel, ...(tests.run ? { run: tests.run } : {}) };
}

/**
 * Whether a run exercises the code the turn changed: it is the project's test command, or its
 * command or code names a changed file (by path, file name, or module name). A run of an unrelated
 * snippet that happens to pass checks nothing. With no change yet, any run of the tests counts.
 */
export function checksChangedCode(run: NonNullable<ToolResult['run']>, changed: readonly string[], testCommand: string | undefined): boolean {
  if (testCommand !== undefined && run.command.trim() === testCommand.trim()) return true;
  const text = `${run.command}\n${run.code ?? ''}`;
  return changed.some((file) => {
    const base = file.split('/').pop()!;
    const stem = base.replace(/\.[^.]+$/, '');
    return text.includes(file) || text.includes(base) || (stem.length > 1 && new RegExp(`\\b${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
  });
}

/** The first line of test output that reports a failure or an error, cut to 160 characters ('' when none stands out). */
export function firstFailureLine(output: string): string {
  const line = output.split('\n').find((l) => /\b(FAIL(ED|URE)?|Error|error|Exception|assert|expected|panic)\b/.test(l) && l.trim().length > 3) ?? '';
  const trimmed = line.trim();
  return trimmed.length > 160 ? `${trimmed.slice(0, 159)}…` : trimmed;
}

/** Words of a text, lowercased, for comparing an answer with the request. */
const wordList = (text: string) => text.toLowerCase().match(/[a-z0-9_]+/g) ?? [];

/** Whether `answer` is the request said again (or a part of it): six words or more, nearly all of them the request's. */
export function restates(answer: string, request: string): boolean {
  const asked = new Set(wordList(request));
  const said = wordList(answer);
  if (said.length < 6) return false;
  return said.filter((w) => asked.has(w)).length / said.length >= 0.9;
}
