/**
 * The agent loop. A turn: build the context, ask the model for one action, validate it, decide
 * approval, run the tool, add the observation, repeat until the model answers. Bounded by
 * `maxSteps` (the last step may only answer) and `maxAttempts` failed runs; an action repeated
 * with the same result is told what to do instead, then ends the turn early. One AbortSignal
 * flows through the model and every tool.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { ApprovalMode, Config } from '../config/schema.ts';
import type { RepoIndex } from '../index/repo-index.ts';
import { TestWriting } from './test-writing/test-writing.ts';
import { actionProtocol, type ActionProtocol } from '../model/action-protocol.ts';
import { ANSWER_TOOL, type ActionSchemaOptions, defaultMaxThoughtLength } from '../model/action-schema.ts';
import { ModelError, type Action, type ChatMessage, type LanguageModel, type StepResult } from '../model/language-model.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { ChangeChecker } from './checks/lint-run.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { appliedChanges, orderTools, toolForRole, type DoubtAsk, type Tool, type ToolContext, type ToolResult } from '../../tools/tool.ts';
import { ApprovalGate } from './approval-gate.ts';
import type { FirstTryHost } from './first-try-host.ts';
import { CompletionReads } from './completion/completion-reads.ts';
import { printedBy, printedByNote } from './checks/printed-by.ts';
import { docsFirst, sectionFirst } from './docs/docs-first.ts';
import { testsFirst } from './test-writing/tests-first.ts';
import { extractFirst, refactorFirst, signatureFirst } from './refactor/refactor-first.ts';
import type { AttemptRecord, AttemptTracker } from './attempts.ts';
import { buildContext, cutToTokens, messageOverheadTokens, type HistoryEntry } from './context.ts';
import type { AgentEvent, Approver, TurnStatus } from './events.ts';
import { buildPinnedContext, buildRepoMapContext, defaultMapTokens, readProjectInstructions, testCommandNote } from './project-context.ts';
import { projectTestCommand } from '../sandbox/test-command.ts';
import { createHint, describeTools, exampleFor, loadPrompt, systemPrompt, writeStart } from './prompts.ts';
import { afterIntakeHint, describeCall, expectedScriptOutput, nextStepHint, questionHint } from './next-step.ts';
import { WrittenCode } from './checks/written-code.ts';
import { anchorLine, filesRun } from './stalled-run.ts';
import { benchedAfterRepeat, isFailure, RepeatDetector, repeatAdvice, temperatureAfterRepeat } from './repeat-detector.ts';
import type { SessionLog } from './session-log.ts';
import { executeTool, resolveToolCall } from './tool-call.ts';
import { proposeAndApply, withStaged } from '../../tools/change-flow.ts';
import { type ExpectedOutput, expectedOutputIn, judgeExpectedOutput } from './intake/expected-output.ts';
import { failureNoteLines, infillRepair, requestAbove, tryTimeoutMs, type RepairLook, type RepairMemory } from './completion/infill-repair.ts';
import { linesNamed } from './checks/output-lines.ts';
import { failureCount, runPassed } from './attempts.ts';
import type { FileChange } from '../workspace/approval.ts';
import { filesToCreate } from './intake/task-files.ts';
import { namesAskedFor } from './intake/asked-names.ts';
import { replaySessionLog, type SessionLogMarker } from './transcript.ts';
import { indexedFiles, taskIntake } from './intake/intake.ts';
import { newTestPath, onlyMissing } from './test-writing/new-test-file.ts';
import { actualAsExpected } from './test-writing/expected-values.ts';
import { answerMissingParts, answerOutsideFolders, answerRunOn, withEarlierParts } from './answers/answer-scope.ts';
import { workedOut } from './answers/constant-values.ts';
import { answerTarget, answerTargetNote } from './answers/answer-target.ts';
import { withCitedNames } from './answers/cited-code.ts';
import { SeenFiles } from './seen-files.ts';
import { alreadyShownNote, ShownFiles } from './shown-files.ts';
import {
  anyTestFile,
  asksForTests,
  editableView,
  guardsTests,
  droppedProjectTests,
  keepsCodeAsIs,
  onlyTestFiles,
  TestEditGuard,
  fixturesNamed,
  testlessTestFile,
  testSubjectOf,
} from './checks/test-guard.ts';
import { addedStubs, fillsStubs, keptStubs, stubFilesToWrite, stubHint } from './completion/stub-guard.ts';
import { wholeWriteView, writtenWhole, type WholeFileRule } from './completion/whole-files.ts';
import type { WorkspaceView } from '../model/text-grammar.ts';
import { TurnLedger, withTestRun } from './turn-ledger.ts';
import { asksToMove, moveAction, moveAsked, onlyMoves } from './refactor/move-first.ts';
import { onlyRenames, renameAction, renameAsked } from './refactor/rename-first.ts';
import { asksForDocComments } from './docs/doc-fill.ts';
import { KeptFilesGuard, keptFiles, namedFileDeleted, settingsHeld, withoutKeptFiles } from './intake/kept-files.ts';
import { type CompilerFix, compilerFixes } from './checks/compiler-fixes.ts';
import { droppedDefinitions } from './checks/dropped-definitions.ts';
import { asksForChange, asksToRename, onlyAsks, reportsBug, runCommandNamedIn, testCommandNamedIn, wantsTestsFirst } from './intake/task-kind.ts';
import { reproduce } from './test-writing/reproduction.ts';
import { testSites } from './test-writing/test-sites.ts';
import { onlyChangesSignature } from './refactor/signature-change.ts';
import { onlyExtracts } from './refactor/extract-function.ts';
import { changesSignature } from './refactor/call-sites.ts';
import { readText } from '../../tools/body-rewrite.ts';

export type { AttemptRecord } from './attempts.ts';
export type { TurnStatus } from './events.ts';

/** How a turn ended, what was said, and what it cost. */
export interface TurnResult {
  status: TurnStatus;
  text: string;
  steps: number;
  attempts: AttemptRecord[];
  /** The attempt to keep: the last passing run, else the failed run with the fewest failures. */
  best?: AttemptRecord;
  usage: { promptTokens: number; completionTokens: number };
  /** Project files this turn changed (applied), in order of first change. */
  changed: string[];
  /**
   * The files as the turn left them were checked by a passing run that exercises them: the
   * project's tests, or a run naming a changed file, after the last change.
   */
  verified: boolean;
}

export interface AgentOptions {
  root: string;
  config: Config;
  model: LanguageModel;
  tools: Tool<any>[];
  workspace: Workspace;
  /** A ready index; set later with `setIndex` when it is still building. */
  index?: RepoIndex;
  sandbox?: Sandbox;
  approver: Approver;
  log?: SessionLog;
  onEvent?: (event: AgentEvent) => void;
  /** Extra instructions after prompts/system.txt (e.g. prompts/ask.txt for read-only sessions). */
  extraSystem?: string;
  /** Bounds of the action's own strings (thought, answer); small models need shorter ones. */
  actionSchema?: ActionSchemaOptions;
  /** false: no worked example, nor a "create it with write_file" hint (the caller's prompt brings its own). */
  example?: boolean;
  /** Run the project's tests after every applied change and add the result to the observation (see `agent.autoTest`). */
  autoTest?: boolean;
  /** Check the changed files (lint, compile) after every applied change and add their first errors to the observation (see `agent.lint`). */
  lint?: boolean;
  /** false: no task intake (reading the files a request names, running the tests first) before the first step. */
  intake?: boolean;
  /** false: an answer is never sent back for not having changed a file (a one-shot program written and run in the sandbox only). */
  remindToChange?: boolean;
}

/** The settings a person may change during a session. */
export interface AgentSettings {
  approvalMode: ApprovalMode;
  maxAttempts: number;
  maxSteps: number;
}

/** Invalid model outputs in a row (cut off, or args the schema rejects) told to the model before the turn ends. */
const maxInvalidStreak = 2;

/** The most tokens the intake adds before the first step (files, the failing run, the code under test). */
const intakeTokens = 4500;

/** A test of a bug report's case is written and run for at most this long before the repair (reproduction.ts). */
const reproduceForMs = 75_000;
/**
 * The same after a fix of failing tests, when the test is a second look (the fix is there already):
 * in a small project a test or two (rust-fix-average's took 4 s); in a codebase, where one test took
 * 47-52 s to write (ts-fix-back-to-back, pyapp-fix-date-filter) and none helped, it is given up.
 */
const reproduceAfterFixForMs = 20_000;
/** The repair a failing test of that second look asks for: less than a first fix's (ts-fix-pagination's took 150 s and found nothing). */
const repairAfterFixForMs = 60_000;

/** Test files read at most to find the test nearest a bug report. */
const maxReadTests = 60;

/** Rounds of samples after a stub turn's fix found nothing (each up to the fix's time; infill-repair.ts). */
const maxSampleRounds = 3;
/**
 * The same after a first fix of failing tests found nothing: the bodies its time did not reach, then
 * samples (pyapp-fix-env-override: the first round's one-line tries of four functions took its 150 s,
 * the rewrite of load_config, whose two lines held the bug, was begun 7 s before the end and cut; the
 * model's step after it took 136 s to read its prompt and renamed a field). On record the model's
 * steps in a codebase passed no fix the repair had not.
 */
const maxRepairRounds = 2;

/** How many times in a row assist fixes what a failed run names before the model sees the run. */
const maxFixRounds = 5;
/** Look-ups in a row (the intake's not counted) before a turn that asks for a change and has made none must act. */
const maxLooksBeforeChange = 3;

/** What the part of a turn before the model's first step is given of it (Agent.beforeFirstStep). */
interface BeforeFirstStep {
  tests: { command: string; from: string } | undefined;
  testRunner: ReturnType<typeof toolForRole>;
  runNamed: string | undefined;
  expectOutput: { command: string; output: string } | undefined;
  /** Tokens of the context left for the conversation. */
  free: number;
  /** Tokens an observation is cut to. */
  observationTokens: number;
  readOnlyTurn: boolean;
  renameTurn: boolean;
  moveTurn: boolean;
  renamer: string | undefined;
  mover: string | undefined;
  ledger: TurnLedger;
  /** The hint after an observation of `tool`. */
  nextStep: (tool: string, args: unknown, observation: ToolResult) => string;
  finish: (status: TurnStatus, text: string) => TurnResult;
}

export class Agent {
  private history: HistoryEntry[] = [];
  private readonly pins: string[] = [];
  private index: RepoIndex | undefined;
  private maxSteps: number;
  private maxAttempts: number;
  private readonly gate: ApprovalGate;
  private readonly stablePrefix: string;
  private readonly reserveTokens: number;
  /** How the model writes actions (JSON, or a JSON line with code as raw blocks). */
  readonly protocol: ActionProtocol;
  /** The tools in the order the model reads them. */
  private readonly offered: Tool<any>[];
  /** What the code the turn writes will do, told (and what is certain, done) after each change and run. */
  private readonly written: WrittenCode;
  /** What the model has seen of the project (valid edit anchors) and what it created or deleted. */
  private readonly seen = new SeenFiles(() => this.pins);
  /** Whole files the conversation shows now: a read of one still unchanged gets a reminder, not its lines again. */
  private readonly shown = new ShownFiles();
  /** This turn's new files the syntax gate refused, by path: edits fix them (ToolContext.drafts). */
  private readonly drafts = new Map<string, string>();
  /** This turn's guard over the tests a fix must pass (set when they failed at intake). */
  private testGuard: TestEditGuard | undefined;
  /** The files the turn's request says not to change (kept-files.ts). */
  private keptGuard: KeptFilesGuard | undefined;
  /** Output of the turn's last failing run (the intake's or the model's): the tests it names are context for code completion. */
  private failureOutput = '';
  /** The last failing run in a few lines, for code completion (failureNoteLines). */
  private failureLines: string[] = [];
  /** Seeds of code completion's tries this turn, by the code tried (ToolContext.seedsFor). */
  private readonly triedSeeds = new Map<string, number>();
  /**
   * The model's last run of a command this turn, when it failed (judged by the output the task
   * expects): in a turn without tests, what judges a rewrite of a script's top-level code.
   */
  private lastFailedRun: { tool: Tool<any>; args: Record<string, unknown>; expect?: ExpectedOutput } | undefined;
  /** Files changed since `failureOutput`'s run: the line numbers it names in them are out of date. */
  private readonly changedAfterFailure = new Set<string>();
  /** Whether this turn fills in stubs: short files with stubs are written whole, and a change that keeps a stub it rewrote is refused. */
  private stubTurn = false;
  /** Whether this turn asks for a change: a change that adds placeholders instead of code is refused (stub-guard.ts `addedStubs`). */
  private writesCode = false;
  /** Whether this turn asks for tests: a test file written with no test in it is refused (test-guard.ts `testlessTestFile`). */
  private addsTests = false;
  /** What the tests are of: the first name in backticks in the request. */
  private testSubject = 'the code';
  /** In a turn asked for tests: the test file to add (named in the request, or by the project's conventions: new-test-file.ts). */
  private newTestFile: string | undefined;
  /** The code file a turn asks tests for (the intake's first code file): what code completion reads first when it writes them. */
  private testSubjectFile: string | undefined;
  /** What assist corrects in the test files a turn writes (test-writing.ts). */
  private readonly testWriting: TestWriting;
  /** The files this turn has changed so far (the ledger's list). */
  private turnChanged: readonly string[] = [];
  /** This turn's request, for code completion's context (a file of its own before the code). */
  private turnRequest = '';
  /** The test command this turn's request names, if it names one (run_tests then runs it by default). */
  private turnTests: { command: string; from: string } | undefined;
  /** The test command of the turn (named or the project's), for trying a change before it is proposed. */
  private turnTestCommand: string | undefined;
  private logFailed = false;
  private mapCache: { key: string; text: string } | undefined;
  private indexGeneration = 0;
  /** `appliedKey()` when the index was last brought up to date by this agent. */
  private indexedAtApplied = '';
  /** The checks after an applied change (what they already told the person, which checkers are missing). */
  private readonly checker: ChangeChecker;
  /** What the first tries (docs-first.ts, tests-first.ts, refactor-first.ts) are given of the agent. */
  private readonly firstTry: FirstTryHost;
  /** What code completion reads before a gap (completion-reads.ts). */
  private readonly reads: CompletionReads;
  /** The repo map, test note and pinned files of the last turn (`answerOnce` reuses them, so the engine's cache still fits). */
  private lastProjectContext = '';

  constructor(private readonly options: AgentOptions) {
    const { config, model } = options;
    this.index = options.index;
    this.checker = new ChangeChecker(config.lint);
    this.maxSteps = config.agent.maxSteps;
    this.maxAttempts = config.agent.maxAttempts;
    this.gate = new ApprovalGate(config.agent.approvalMode, options.approver, (e) => this.emit(e));
    this.testWriting = new TestWriting({
      workspace: options.workspace,
      index: () => this.index,
      maxFileBytes: config.index.maxFileBytes,
      notice: (message) => this.emit({ type: 'notice', level: 'info', message }),
    });
    this.reserveTokens = Math.max(16, Math.min(config.model.maxTokens, Math.floor(model.info.contextSize / 3)));
    const count = (t: string) => model.countTokens(t);
    const instructions = readProjectInstructions(options.root, Math.max(128, Math.floor(model.info.contextSize / 8)), count);
    const offered = orderTools(options.tools);
    this.offered = offered;
    const format = config.agent.actionFormat === 'text' && model.info.grammar ? 'text' : 'json';
    this.protocol = actionProtocol(format, offered, options.actionSchema);
    this.written = new WrittenCode({
      workspace: options.workspace,
      offered,
      format: this.protocol.format,
      index: () => this.index,
      toolContext: (signal) => this.toolContext(signal),
      emit: (event) => this.emit(event),
    });
    this.reads = new CompletionReads({
      model,
      workspace: options.workspace,
      seen: this.seen,
      index: () => this.index,
      turn: () => ({ request: this.turnRequest, failureOutput: this.failureOutput, newTestFile: this.newTestFile, testSubjectFile: this.testSubjectFile }),
      notice: (message, detail) => this.emit({ type: 'notice', level: 'info', message }, detail),
    });
    this.firstTry = {
      options,
      offered,
      seen: this.seen,
      index: () => this.index,
      toolContext: (signal) => this.toolContext(signal),
      tryContext: (signal, runMs) => this.tryContext(signal, runMs),
      notice: (message, detail) => this.emit({ type: 'notice', level: 'info', message }, detail),
      inProject: (file) => this.inProject(file),
    };
    this.stablePrefix = [
      systemPrompt(format),
      options.extraSystem,
      describeTools(offered, this.protocol),
      options.example === false ? '' : exampleFor(offered),
      instructions,
    ]
      .filter(Boolean)
      .join('\n\n');
  }

  /** Runs one user turn to its end. Never throws for model or tool failures: they are statuses. */
  async runTurn(userText: string, signal: AbortSignal = new AbortController().signal): Promise<TurnResult> {
    const { model, config } = this.options;
    const repeats = new RepeatDetector();
    const usage = { promptTokens: 0, completionTokens: 0 };
    let steps = 0;
    let lastThought = '';
    let invalidStreak = 0;
    /** Set after a repeated action: the next step samples hotter so it does not come out the same. */
    let shake = false;
    /** Tools the next step's grammar leaves out: a failing action repeated word for word cannot come a third time in a row. */
    let benched = new Set<string>();
    /** The model's look-ups in a row (reads, searches), in a turn that has changed nothing yet. */
    let lookStreak = 0;
    let ledger!: TurnLedger;
    const finish = (status: TurnStatus, text: string): TurnResult => {
      const { attempts } = ledger;
      this.emit({ type: 'result', status, text, steps, attempts: attempts.records.length });
      const best = attempts.best();
      return { status, text, steps, attempts: attempts.records, ...(best ? { best } : {}), usage, changed: ledger.changed, verified: ledger.verified };
    };

    this.emit({ type: 'user', text: userText });
    const tools = this.options.tools;
    const missing = this.options.example !== false && toolForRole(tools, 'createFile') && !onlyAsks(userText) ? this.missingFiles(userText) : [];
    this.history.push({ kind: 'user', text: missing.length ? `${userText}\n\n${createHint(tools, missing, this.protocol)}` : userText });
    const count = (t: string) => model.countTokens(t);
    const budget = model.info.contextSize - this.reserveTokens;
    const free = Math.max(0, budget - count(this.stablePrefix) - messageOverheadTokens);
    const mapTokens = config.index.mapTokens || Math.min(defaultMapTokens, Math.floor(free * 0.15));
    const pinnedContext = await buildPinnedContext({
      workspace: this.options.workspace,
      pinned: this.pins,
      pinnedTokens: Math.floor(free * 0.3),
      countTokens: count,
    });
    await this.refreshIndexAfterEdits(signal);
    const testRunner = toolForRole(tools, 'runTests');
    const named = testCommandNamedIn(userText);
    const tests = !testRunner
      ? undefined
      : named
        ? { command: named, from: 'named in the request' }
        : await projectTestCommand(config.tests.command, this.options.workspace.snapshot());
    this.turnTests = named ? tests : undefined;
    this.turnTestCommand = tests?.command;
    // a bug report's own command (`java -cp out Main` prints a wrong count): run first, and the check after a change when no tests are known
    const runNamed = tests ? undefined : runCommandNamedIn(userText);
    const expectedOutput = runNamed ? expectedOutputIn(userText) : undefined;
    const expectOutput = runNamed && expectedOutput !== undefined ? { command: runNamed, output: expectedOutput } : undefined;
    // a script asked for by what it prints: any run of it is judged by that
    const expectScript = tests || runNamed ? undefined : expectedScriptOutput(userText);
    // a script or program the request asks for: what running it would do is told after it is written and run (script-entry.ts)
    const scriptTask = !tests && /\b(script|program)\b/i.test(userText);
    const testsNote = testCommandNote(tests);
    ledger = new TurnLedger(tests?.command, runNamed);
    this.turnChanged = ledger.changed;
    const { attempts } = ledger;
    const toolNamed = (name: string) => tools.find((t) => t.name === name);
    // tests the turn itself wrote into a project that had none (py-add-test: test_slug.py, then `python3 test_slug.py`, which runs none of them)
    let laterTests: { command: string } | undefined;
    const nextStep = (tool: string, args: unknown, observation: ToolResult): string => {
      const known = tests ?? laterTests;
      const hint = nextStepHint(toolNamed(tool), args, observation, {
        offered: tools,
        format: this.protocol.format,
        ...(known ? { testCommand: known.command } : {}),
        ...(runNamed ? { runCommand: runNamed } : {}),
        ...(asksForChange(userText) ? { request: userText } : {}),
        ...(this.addsTests && onlyTestFiles(ledger.changed) ? { newTests: true } : {}),
      });
      return hint ? `\n${hint}` : '';
    };
    const observationTokens = Math.max(128, Math.floor(free * 0.25));
    const wantsChange = this.options.remindToChange !== false && asksForChange(userText) && tools.some((t) => t.effect === 'edit');
    // a question is answered, not acted on: its grammar offers no tool that changes files (a small model,
    // asked how many bookings a page holds, renamed pageSize across six files and answered "the tests passed")
    const readOnlyTurn = onlyAsks(userText);
    // the project-wide rename only when a new name is asked for
    const renamer = toolForRole(this.offered, 'renameSymbol')?.tool.name;
    const renameTurn = asksToRename(userText);
    // the move tool only when code is asked to move
    const mover = toolForRole(this.offered, 'moveSymbol')?.tool.name;
    const moveTurn = !readOnlyTurn && asksToMove(userText);

    this.testGuard = undefined;
    /** Files the intake showed whole: the repo map centres on them and leaves them out. */
    let shownWhole: string[] = [];
    const kept = readOnlyTurn ? [] : keptFiles(userText);
    this.keptGuard = kept.length ? new KeptFilesGuard(kept) : undefined;
    this.failureOutput = '';
    this.failureLines = [];
    this.lastFailedRun = undefined;
    this.triedSeeds.clear();
    this.changedAfterFailure.clear();
    this.turnRequest = userText;
    this.drafts.clear();
    this.stubTurn = !readOnlyTurn && fillsStubs(userText);
    this.writesCode = !readOnlyTurn && asksForChange(userText);
    this.addsTests = !readOnlyTurn && asksForTests(userText);
    this.newTestFile = undefined;
    this.testSubjectFile = undefined;
    this.testSubject = testSubjectOf(userText);
    if (this.options.intake !== false && !signal.aborted) {
      const first = await this.beforeFirstStep(userText, signal, {
        tests,
        testRunner,
        runNamed,
        expectOutput,
        free,
        observationTokens,
        readOnlyTurn,
        renameTurn,
        moveTurn,
        renamer,
        mover,
        ledger,
        nextStep,
        finish,
      });
      if ('done' in first) return first.done;
      shownWhole = first.shownWhole;
    }

    // the map is made after the intake, to centre on what it showed
    const projectContext = [this.repoMapFor(mapTokens, shownWhole), testsNote, pinnedContext].filter(Boolean).join('\n\n');
    this.lastProjectContext = projectContext;
    let compacted = false;
    /** The last passing run's command, and whether a change was applied since it. */
    let lastPass: string | undefined;
    let changedSincePass = false;
    /** The note on a step whose complete part assist kept (partial-write.ts), for its observation. */
    let keptNote = '';
    /** An answer was just sent back: the next step's grammar has no `answer` (one step only). */
    let answerBenched = false;
    /** A question's answers sent back this turn, oldest first. */
    const sentBack: string[] = [];
    /**
     * A question whose runs failed the same way over and over, or too often: why the turn would
     * stop. The next step is its last, an answer from what was read (the 0.5B model, asked what
     * reads the settings, ran `from src/settings.py import …` three times and the turn ended with
     * "Stopped", where the intake had shown load_settings).
     */
    let answerNow: { status: 'repeated_failure' | 'max_attempts'; text: string } | undefined;
    for (let step = 1; step <= this.maxSteps; step++) {
      if (signal.aborted) return finish('aborted', 'Cancelled.');
      steps = step;
      const last = step === this.maxSteps || answerNow !== undefined;
      this.emit({ type: 'step', step, maxSteps: this.maxSteps });

      let result: StepResult;
      try {
        const context = buildContext({
          countTokens: count,
          contextSize: model.info.contextSize,
          reserveTokens: this.reserveTokens,
          stablePrefix: this.stablePrefix,
          projectContext,
          history: this.history,
          finalNote: last ? loadPrompt('last-step') : undefined,
          renderAction: this.protocol.render,
        });
        // compacting may have dropped reads and runs from the conversation: they are shown again
        compacted = context.compacted > 0;
        if (compacted) this.shown.clear();
        this.emit({
          type: 'context',
          step,
          promptTokens: context.promptTokens,
          budget: context.budget,
          contextSize: model.info.contextSize,
          compacted: context.compacted,
        });
        const constraint = this.protocol.constrain(
          last
            ? []
            : this.offered.filter(
                (t) =>
                  !benched.has(t.name) && !(readOnlyTurn && t.effect === 'edit') && !(t.name === renamer && !renameTurn) && !(t.name === mover && !moveTurn),
              ),
          this.protocol.format === 'text' ? await this.grammarView() : undefined,
          answerBenched ? { noAnswer: true } : undefined,
        );
        answerBenched = false;
        result = await model.next(context.messages, constraint.schema, {
          ...(constraint.text ? { text: constraint.text } : {}),
          signal,
          maxTokens: this.reserveTokens,
          temperature: shake ? temperatureAfterRepeat(config.model.temperature) : config.model.temperature,
          onToken: (text) => this.emit({ type: 'token', text }),
        });
      } catch (error) {
        if (signal.aborted || (error instanceof ModelError && error.code === 'aborted')) {
          // the log keeps what the model had written of the step (a step cut short by a time limit was lost unseen)
          if (error instanceof ModelError && error.partial)
            this.emit({ type: 'notice', level: 'info', message: `Step ${step} was cancelled while the model wrote it.` }, { partial: error.partial });
          return finish('aborted', 'Cancelled.');
        }
        // a new test file stopped mid-way: what is complete of it is applied as the step (partial-write.ts)
        const kept =
          error instanceof ModelError && (error.cutOff || error.looped) && error.partial
            ? this.testWriting.completeTests(error.partial, error.looped, this.offered, this.protocol.format)
            : undefined;
        if (kept && error instanceof ModelError) {
          this.emit({ type: 'invalid_action', step, message: error.message, ...(error.cutOff ? { cutOff: true } : {}) }, { partial: error.partial });
          result = { action: kept.action, raw: '', usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0 }, timings: { firstTokenMs: 0, totalMs: 0 } };
          keptNote =
            `[Your action was ${error.cutOff ? 'cut off at the token limit' : 'stopped (it repeated itself)'} before it was complete. assist kept what was ` +
            `complete of it: ${kept.tests} test${kept.tests === 1 ? '' : 's'} in ${kept.path}, as below; the test it was writing was dropped. Run them, ` +
            `then add what is missing a test or two at a time${kept.edit ? ` with ${kept.edit}` : ''}.]`;
        } else if (error instanceof ModelError && error.code === 'invalid_output' && !last && invalidStreak < maxInvalidStreak) {
          invalidStreak++;
          this.emit(
            { type: 'invalid_action', step, message: error.message, ...(error.cutOff ? { cutOff: true } : {}) },
            error.partial !== undefined ? { partial: error.partial } : undefined,
          );
          this.history.push({
            kind: 'user',
            note: true,
            text: error.looped
              ? `[Your last action was stopped and nothing was done: ${error.message.replace(/^The action was stopped before it was complete: /, '')} ` +
                'Write each line once and say each thing once; a test or case that repeats needs other values each time.]'
              : error.cutOff
                ? '[Your last action was cut off at the token limit before it was complete, so nothing was done. Write a smaller action: change only ' +
                  'the lines that need it (a few lines in SEARCH/REPLACE, or several small edits one after another), and keep the thought short.]'
                : `[Your last reply was not a valid action: ${error.message} Reply with one complete action; keep strings short.]`,
          });
          // at the same temperature a model that looped loops again (ruby-add-test-slug: the same line 12 times, three steps running)
          if (error.looped) shake = true;
          continue;
        } else {
          const message = error instanceof ModelError ? error.message : `The model failed: ${(error as Error)?.message ?? String(error)}`;
          return finish('model_error', message);
        }
      }
      invalidStreak = 0;
      usage.promptTokens += result.usage.promptTokens;
      usage.completionTokens += result.usage.completionTokens;
      const action = result.action;
      lastThought = action.thought;
      this.emit({ type: 'action', step, action, usage: result.usage, timings: result.timings });
      this.history.push({ kind: 'action', action });

      if (action.tool === ANSWER_TOOL) {
        const given = typeof action.args?.text === 'string' ? action.args.text : '';
        // (a question's answer that a thought cut at its bound runs on into is the thought and its end: answer-scope.ts)
        const said = readOnlyTurn ? answerRunOn(action.thought, given, this.options.actionSchema?.maxThoughtLength ?? defaultMaxThoughtLength) : given;
        // (arithmetic a question's answer leaves undone, worked out from the project's constants: constant-values.ts)
        const worked = readOnlyTurn ? await workedOut(said, this.index, (file) => this.options.workspace.readText(file).catch(() => undefined)) : undefined;
        if (worked) this.emit({ type: 'notice', level: 'info', message: `assist worked out the arithmetic in the answer: ${worked.text}` });
        const text = worked?.bare ?? said;
        const reminder = last
          ? undefined
          : ledger.answerReminder({
              wantsChange,
              ...(wantsChange ? { answer: { text, lastRead: this.lastRead()?.text } } : {}),
              ...(testRunner ? { testCall: describeCall(testRunner.tool, testRunner.call(), this.protocol.format) } : {}),
              // (a script the request asks for is run before the answer, as tests are)
              ...(scriptTask ? await this.written.runCallFor(ledger.changed, runNamed) : {}),
              ...(readOnlyTurn
                ? {
                    answerToQuestion: { text, thought: action.thought, request: userText, lastNote: this.lastNote() },
                    ...(await this.answerScope(userText, text)),
                  }
                : {}),
              ...(wantsChange ? { missingNames: await this.missingNames(userText, signal) } : {}),
              ...(this.addsTests && !anyTestFile(ledger.changed)
                ? { newTests: { ...(this.newTestFile ? { file: this.newTestFile, start: writeStart(tools, this.newTestFile, this.protocol) } : {}) } }
                : {}),
            });
        if (reminder) {
          // an answer that names where the fault is, without fixing it: the lines it names, to fix now
          const target = reminder.unchanged
            ? await answerTarget(text, this.index, (file) => this.options.workspace.readText(file).catch(() => undefined))
            : undefined;
          const note = target ? `${reminder.note}${answerTargetNote(target, toolForRole(tools, 'editFile')?.tool.name)}` : reminder.note;
          this.emit({ type: 'notice', level: 'info', message: reminder.notice });
          this.history.push({ kind: 'user', note: true, text: note });
          if (readOnlyTurn) sentBack.push(text);
          // the same answer came back word for word after a reminder (py-add-test, three times): the next step acts first.
          // Not for a question: the note asks for the answer again (without answer, ts-question-cancel-path's model, its
          // thought naming the right function, ran the file's path as a command and went on to rewrite it in the sandbox)
          answerBenched = !readOnlyTurn;
          continue;
        }
        // (a place the answer cites is followed by the function it is in: cited-code.ts; a part the
        // question asks for that an answer sent back gave and this one dropped is kept: answer-scope.ts)
        const kept = readOnlyTurn ? withEarlierParts(userText, text, sentBack, this.index) : text;
        // (with the working of what was worked out: `4096 (4 * KB, with KB = 1024)`)
        const complete = worked && kept.endsWith(text) ? `${kept.slice(0, kept.length - text.length)}${worked.text}` : kept;
        // (an answer the model gives while the tests fail, after the one reminder, says so: ruby-semver's model
        // answered "The tests passed. The task is done." with every test failing)
        const failing = wantsChange ? ledger.failingNow : undefined;
        const caveat = failing !== undefined ? `\n\n(assist: the last run of the tests failed${failing ? `: ${failing.slice(0, 200)}` : ''}.)` : '';
        return finish(last && answerNow === undefined ? 'max_steps' : 'answered', `${withCitedNames(complete, this.index)}${caveat}`);
      }
      if (answerNow !== undefined) return finish(answerNow.status, answerNow.text);
      if (last) return finish('max_steps', this.stopSummary(`Stopped at the step limit (${this.maxSteps}).`, attempts, lastThought));

      const started = Date.now();
      const call = resolveToolCall(action, this.options.tools);
      let observation: ToolResult;
      if ('error' in call) {
        this.emit({ type: 'invalid_action', step, message: call.error.error!.message });
        observation = call.error;
      } else {
        observation = judgeExpectedOutput(
          (await this.alreadyShown(call.tool, call.args, wantsChange)) ?? (await executeTool(call.tool, call.args, this.toolContext(signal))),
          expectOutput ?? expectScript,
        );
        // aider's auto-lint: a fast check of the changed files; its first errors come with the result (not an attempt)
        if (this.options.lint && appliedChanges(observation) && !signal.aborted) {
          const unchecked = observation;
          observation = await this.withCheck(observation, signal);
          // the checker names an import the change forgot (pyflakes: "undefined name 'slugify'"): added, then checked again
          const fixed =
            observation.forModel !== unchecked.forModel
              ? await this.compilerFix(unchecked.edit!.applied, observation.forModel, signal, 'the check')
              : undefined;
          if (fixed) observation = await this.withCheck({ ...unchecked, forModel: `${unchecked.forModel}\n${fixed}` }, signal);
        }
        if (this.options.autoTest && appliedChanges(observation) && testRunner && tests && !signal.aborted) {
          // aider's auto-test: the tests run after every applied change, and their failures come with the result
          let run = await executeTool(testRunner.tool, testRunner.call(), this.toolContext(signal));
          // one fix can uncover the next (node:test's names imported, then the function required whole): a few rounds
          for (let round = 0; round < maxFixRounds && run.run && !runPassed(run.run) && !signal.aborted; round++) {
            const fixed = await this.compilerFix(observation.edit!.applied, run.run, signal);
            if (!fixed) break;
            observation = { ...observation, forModel: `${observation.forModel}\n${fixed}` };
            run = await executeTool(testRunner.tool, testRunner.call(), this.toolContext(signal));
          }
          observation = withTestRun(observation, run, tests.command);
        }
        // the model's own run of its change failed to build for what the compiler names (cpp-largest:
        // `std::max_element` without <algorithm>, three edits that changed nothing): fixed, then run again
        const built = observation.run;
        if (built && !runPassed(built) && !appliedChanges(observation) && ledger.changed.length > 0 && !signal.aborted) {
          const notes: string[] = [];
          for (let round = 0; round < maxFixRounds && observation.run && !runPassed(observation.run) && !signal.aborted; round++) {
            const fixed = await this.compilerFix(ledger.changed, observation.run, signal, 'the run');
            if (!fixed) break;
            notes.push(fixed);
            observation = judgeExpectedOutput(await executeTool(call.tool, call.args, this.toolContext(signal)), expectOutput ?? expectScript);
          }
          if (notes.length > 0) observation = { ...observation, forModel: `${notes.join('\n')}\n${observation.forModel}` };
        }
        // a run that printed what the task does not expect: the line of the turn's code that printed it (printed-by.ts)
        const printed = observation.run?.missingOutput !== undefined && ledger.changed.length > 0 ? observation.run.stdout : '';
        if (printed.trim()) {
          const note = printedByNote(printedBy(printed, await this.readTexts(ledger.changed)));
          const [judged, ...rest] = observation.forModel.split('\n');
          if (note) observation = { ...observation, forModel: [`${judged} ${note}`, ...rest].join('\n') };
        }
        if (observation.run && call.tool.roles?.runCommand) {
          const expect = expectOutput ?? expectScript;
          this.lastFailedRun = runPassed(observation.run) ? undefined : { tool: call.tool, args: call.args, ...(expect ? { expect } : {}) };
        }
      }
      if (keptNote) {
        observation = { ...observation, forModel: `${keptNote}\n${observation.forModel}` };
        keptNote = '';
      }
      if (signal.aborted && !observation.error) observation = { ...observation, error: { code: 'aborted', message: 'The turn was cancelled.' } };
      const script = await this.written.after(observation, ledger.changed, {
        scriptTask,
        request: userText,
        signal,
        ...(expectScript?.output !== undefined ? { expectedOutput: expectScript.output } : {}),
      });
      if (script?.note) observation = { ...observation, forModel: `${observation.forModel}\n${script.note}` };

      if (!tests && !laterTests && appliedChanges(observation) && anyTestFile(observation.edit!.applied))
        laterTests = await projectTestCommand(config.tests.command, this.options.workspace.snapshot()).catch(() => undefined);

      this.seen.note(observation);
      const { attempt, repeat, unmoved } = ledger.record(observation);
      this.noteFailure(observation);
      if (appliedChanges(observation)) changedSincePass = true;
      const passedAgain = !!observation.run && runPassed(observation.run) && lastPass === observation.run.command.trim() && !changedSincePass;
      if (observation.run && runPassed(observation.run)) {
        lastPass = observation.run.command.trim();
        changedSincePass = false;
      }
      let attemptNote = '';
      // the same failure word for word is above already: its header and a note cost the prompt less than its output again
      const sameAsAbove = !!(attempt && repeat && !attempt.passed && !compacted);
      if (attempt && observation.run) {
        this.emit({ type: 'attempt', attempt: attempt.attempt, maxAttempts: this.maxAttempts, passed: attempt.passed, run: observation.run });
        if (!attempt.passed)
          attemptNote = sameAsAbove
            ? `\n[The same failure as the last run above, word for word${ledger.failing ? ` (${ledger.failing})` : ''}: nothing changed since, ` +
              'so its output is not shown again and this run does not count as an attempt. Change the code the failure points at, then run again.]'
            : repeat
              ? '\n[The same failure as before: nothing changed since, so this run does not count as an attempt.]'
              : `\n[Failed run ${attempts.failures()} of at most ${this.maxAttempts}.]`;
      }
      let verdict = signal.aborted ? 'ok' : repeats.check(action, observation, toolNamed(action.tool)?.effect, readOnlyTurn);
      // the same failing run again, nothing changed (or a change that did nothing to it: bash-count-lines' model edited an
      // echo the run never reached, twice): the code it runs written afresh before the model is told to change course
      const stalled =
        verdict !== 'ok' && (repeat || unmoved) && observation.run && !runPassed(observation.run)
          ? await this.rewriteStalled(observation.run.command, ledger.changed, signal, !repeat)
          : undefined;
      if (stalled) {
        verdict = 'ok';
        ledger.record(stalled.result);
        this.noteFailure(stalled.result);
        changedSincePass = true;
        this.emit({ type: 'notice', level: 'info', message: `${stalled.note} (${stalled.result.edit?.applied.join(', ')})` });
      }
      shake = verdict === 'warn';
      // a small model that repeats a failing action tends to repeat it again, even warmer: the next step
      // cannot (an edit refused twice benches every edit tool for a step, so it reads or runs instead)
      const looked = toolNamed(action.tool)?.effect === 'read';
      benched =
        verdict === 'warn' && (isFailure(observation) || looked) ? benchedAfterRepeat(toolNamed(action.tool), this.offered, repeats.lastCount) : new Set();
      // ts-add-test-availability: asked for a test file, its code and an example test read by the intake, the 1.5B model
      // read six more files, one a step, each with the same thought, until the time ran out
      lookStreak = looked && wantsChange && ledger.changed.length === 0 ? lookStreak + 1 : 0;
      const lookedEnough = lookStreak >= maxLooksBeforeChange && benched.size === 0 && verdict !== 'warn';
      if (lookedEnough) benched = benchedAfterRepeat(toolNamed(action.tool), this.offered, Number.POSITIVE_INFINITY);
      const editor = toolForRole(tools, 'editFile')?.tool.name;
      if (verdict === 'warn')
        this.emit({
          type: 'notice',
          level: 'warn',
          message: `The model repeated ${isFailure(observation) ? 'a failing' : 'an'} action with the same result; it was told to change course.`,
        });
      const modelText =
        (sameAsAbove
          ? observation.forModel.split('\n', 1)[0]
          : cutToTokens(observation.forModel, observationTokens, count, 'Ask for a smaller part (a line range, a narrower search, less output) to see it.')) +
        attemptNote +
        (verdict === 'warn'
          ? // what it advises is what the next step may do: not a write_file to start while writes are benched (ruby-add-test-slug
            // copied the bench note into the file the advice had begun)
            `\n${repeatAdvice(
              toolNamed(action.tool),
              isFailure(observation),
              tools.filter((t) => !benched.has(t.name)),
              this.missingFiles(userText),
              this.protocol,
            )}` +
            (benched.size === 0
              ? ''
              : looked
                ? `\n[Your next step cannot look again (${[...benched].join(', ')}): use what is above. Change the code, run it, or answer.]`
                : `\n[Your next step cannot use ${benched.size > 1 ? `a tool that changes files (${[...benched].join(', ')})` : [...benched][0]}: ` +
                  'look again first (read the code, search) or run something.]')
          : lookedEnough && benched.size > 0
            ? `\n[You have looked ${lookStreak} times in a row and changed nothing yet; the request asks for a change. Your next step cannot ` +
              `look again (${[...benched].join(', ')}): make the change now with what you have read${editor ? ` (${editor}, or a new file)` : ''}, or run ` +
              'the tests.]'
            : stalled
              ? // (the edit tool's first line speaks of the model's copied replacement, which this was not)
                `\n${stalled.note}:\n${stalled.result.forModel.split('\n').slice(1).join('\n')}\nNext: run it again to check it.`
              : script?.next
                ? `\n${script.next}`
                : nextStep(action.tool, action.args, observation));
      await this.noteShown(observation, modelText, `your step ${step}`);
      this.history.push({ kind: 'observation', tool: action.tool, text: modelText });
      this.emit({ type: 'observation', step, tool: action.tool, result: observation, durationMs: Date.now() - started }, { modelText });

      if (signal.aborted) return finish('aborted', `Cancelled during ${action.tool}.`);
      // the same run passing again with nothing changed: the change is checked, and a small model
      // that re-runs passing tests does so until the step limit
      if (passedAgain && ledger.verified && ledger.changed.length > 0)
        return finish(
          'answered',
          `Done: ${observation.run!.command} passes with the changes to ${ledger.changed.join(', ')} (it passed twice with nothing changed ` +
            `in between, so the turn ends here).${lastThought ? ` Last thought: ${lastThought}` : ''}`,
        );
      const stop =
        verdict === 'stop'
          ? {
              status: 'repeated_failure' as const,
              why: `Stopped: the same ${action.tool} call ${isFailure(observation) ? 'failed the same way' : 'returned the same result'} three times.`,
            }
          : attempts.failures() >= this.maxAttempts
            ? { status: 'max_attempts' as const, why: `Stopped after ${attempts.failures()} failed runs (the limit is ${this.maxAttempts}).` }
            : undefined;
      if (stop && readOnlyTurn && answerNow === undefined && step < this.maxSteps) {
        // a question is answered from the code read, not ended by runs that do not help
        answerNow = { status: stop.status, text: this.stopSummary(stop.why, attempts, lastThought) };
        this.emit({ type: 'notice', level: 'info', message: `${stop.why} The question is answered from what was read.` });
        this.history.push({
          kind: 'user',
          note: true,
          // (the question said again, last: the 0.5B model's answer step otherwise copied the observation above it)
          text: `[${stop.why} Runs do not help with this question: answer it now from the code you have read above.]\nThe question: ${userText}`,
        });
        continue;
      }
      if (stop) return finish(stop.status, this.stopSummary(stop.why, attempts, lastThought));
    }
    return finish('max_steps', this.stopSummary(`Stopped at the step limit (${this.maxSteps}).`, attempts, lastThought));
  }

  /**
   * The turn before the model's first step: the intake's looks (task-intake: the files the request
   * names, the tests run), then the first tries that fit the request (a fix or filled stubs by code
   * completion and its rounds, a test of a bug report's case, a new test file, doc comments, a
   * section, a signature, an extraction, an asked rename or move), each shown to the model as its
   * own look. The turn's result when a first try finished the work, else the files the intake showed
   * whole (the repo map centres on them and leaves them out).
   */
  private async beforeFirstStep(userText: string, signal: AbortSignal, turn: BeforeFirstStep): Promise<{ done: TurnResult } | { shownWhole: string[] }> {
    const { config, model } = this.options;
    const tools = this.options.tools;
    const count = (t: string) => model.countTokens(t);
    const { tests, testRunner, runNamed, expectOutput, free, observationTokens, readOnlyTurn, renameTurn, moveTurn, renamer, mover, ledger, nextStep, finish } =
      turn;
    const looks = await taskIntake({
      task: userText,
      tools,
      ctx: this.toolContext(signal),
      ...(this.index ? { index: this.index } : {}),
      runTests: !!(tests && testRunner && wantsTestsFirst(userText)),
      ...(runNamed ? { runCommand: runNamed } : {}),
      ...(expectOutput ? { expectOutput } : {}),
      budgetTokens: Math.min(intakeTokens, Math.floor(free * 0.3)),
      countTokens: count,
      ...(this.addsTests ? { exampleTest: true } : {}),
      ...(readOnlyTurn ? { followCalls: true } : {}),
    });
    // after a failing run and the code it runs, the intake's last look says what comes next (the model
    // otherwise went on as the intake did: it read four more files, tests too, 'the code under test calls into it')
    const failing = looks.some(({ result: { run } }) => run && !runPassed(run));
    // (only when the intake ended on the code: after a run that came last, the failure itself leads on;
    // the code may be shown whole or where the failing tests call it)
    const lastRead = looks.at(-1)?.result.whole ?? looks.at(-1)?.result.seen?.[0];
    // the files a hint needs the text of, read once: all the intake showed whole in a stub turn, else the last
    const read = await this.readTexts(this.stubTurn ? looks.map(({ result }) => result.whole) : failing ? [lastRead] : []);
    const stubbed = this.stubTurn ? stubFilesToWrite(read) : [];
    const lastWhole = read.filter((f) => f.path === lastRead && writtenWhole(f.text, this.wholeRule())).map((f) => f.path);
    const afterLooks = stubbed.length
      ? stubHint(stubbed, toolForRole(tools, 'createFile')?.tool.name)
      : failing
        ? afterIntakeHint(tools, [lastRead], new Set(lastWhole))
        : readOnlyTurn
          ? questionHint(
              looks.map(({ result }) => result.whole ?? result.seen?.[0]),
              ANSWER_TOOL,
            )
          : '';
    for (const [i, look] of looks.entries()) {
      const modelText = cutToTokens(look.result.forModel, observationTokens, count) + (i === looks.length - 1 && afterLooks ? `\n${afterLooks}` : '');
      this.seen.note(look.result);
      await this.noteShown(look.result, modelText, 'the intake');
      this.history.push({ kind: 'action', action: look.action }, { kind: 'observation', tool: look.action.tool, text: modelText });
      this.emit({ type: 'intake', action: look.action, result: look.result, durationMs: 0 }, { modelText });
    }
    for (const { result } of looks) if (result.run) ledger.noteRunBefore(result.run);
    if (this.addsTests) {
      // the test file an answer with none written is sent to write: the one the request names, else the project's pattern
      const subject = looks.flatMap(({ result }) => result.seen ?? []).find((file) => !anyTestFile([file]));
      this.testSubjectFile = subject;
      this.newTestFile =
        this.missingFiles(userText).find((file) => anyTestFile([file])) ??
        (subject
          ? newTestPath(
              subject,
              indexedFiles(this.index).filter((file) => anyTestFile([file])),
            )
          : undefined);
    }
    const shownWhole = looks.flatMap(({ result }) => (result.whole ? [result.whole] : []));
    /** A look the agent took after the intake (a repair, doc comments, a rename): seen, counted, and in the conversation as the model's own action. */
    const showLook = (look: { action: Action; result: ToolResult }) => {
      this.seen.note(look.result);
      this.noteFailure(look.result);
      const { attempt } = ledger.record(look.result);
      if (attempt && look.result.run)
        this.emit({ type: 'attempt', attempt: attempt.attempt, maxAttempts: this.maxAttempts, passed: attempt.passed, run: look.result.run });
      const modelText = cutToTokens(look.result.forModel, observationTokens, count) + nextStep(look.action.tool, look.action.args, look.result);
      this.history.push({ kind: 'action', action: look.action }, { kind: 'observation', tool: look.action.tool, text: modelText });
      this.emit({ type: 'intake', action: look.action, result: look.result, durationMs: 0 }, { modelText });
    };
    if (failing && guardsTests(userText)) {
      const testTexts = new Map((await this.projectTests(signal)).map(({ path, text }) => [path, text] as const));
      // (a file the request itself names is the person's to ask for)
      const fixtures = new Map([...fixturesNamed(testTexts, (file) => this.inProject(file))].filter(([name]) => !userText.includes(name)));
      this.testGuard = new TestEditGuard(fixtures);
    }
    const failed = looks.find(({ result: { run } }) => run && !runPassed(run))?.result.run;
    if (failed) this.failureOutput = `${failed.stdout}\n${failed.stderr}`;
    // the files it read, whole or in part: the repair reads them whole itself
    const intakeRead = [...new Set(looks.flatMap(({ result }) => result.seen ?? []))];
    // a bug report whose tests all pass: a test of its case is written first, to judge a repair by (reproduction.ts)
    const passedFirst = looks.find(({ result: { run } }) => run && runPassed(run))?.result.run;
    const reproduces =
      !failed && passedFirst && tests && reportsBug(userText) && guardsTests(userText) && !this.stubTurn && !this.addsTests && !renameTurn && !moveTurn;
    if (((failed && (this.stubTurn || guardsTests(userText))) || reproduces) && !signal.aborted) {
      // where the intake's search of the request's words pointed
      const pointers = looks
        .filter(({ action }) => action.tool === toolForRole(tools, 'searchText')?.tool.name)
        .map(({ result }) => result.forModel)
        .join('\n');
      // (the changes applied from here on are the fix; a second look at it stages the code without them)
      const checkpointsBefore = new Set(this.options.workspace.applied().map((a) => a.checkpointId));
      // (what the rounds of repair learn: the first's tries are not made again in the next; a stub turn's
      // first call is the fill, and its rounds start from the fix after it, as they did before)
      const memory: RepairMemory = { texts: new Set(), failing: new Map() };
      const repair = failed
        ? await this.repairFirst(userText, failed, intakeRead, { tests, runNamed, expectOutput, signal, ...(this.stubTurn ? {} : { memory }) })
        : await this.reproduceFirst(userText, passedFirst!, intakeRead, tests!, { signal, pointers });
      // filled stubs that still fail are code with a bug (ruby-account: `amount > balance + overdraft_limit`
      // where initialize had set @overdraft_limit), and a step of a fix (fewer tests failing, infill-repair.ts)
      // is one on the way: the fix's repair goes on from the failing run, while each leaves fewer failing
      const steps: RepairLook[] = [];
      let last = repair;
      // filled stubs whose fix found nothing are sampled again, with new seeds, while time lasts: in a
      // stub turn code completion is the way on (on this machine's runs the 1.5B model's chat steps after
      // the fills passed no exercise, a step took 60 s or more, and in two they broke what the fills had)
      let from: NonNullable<ToolResult['run']> | undefined;
      let round = 0;
      // (a fix that found nothing goes on from the same failing run, in rounds)
      if (!this.stubTurn && !repair && failed) from = failed;
      if (this.stubTurn && !repair && failed && stubbed.length > 0 && !signal.aborted) {
        // stubs the fill left as they were (a body that did not parse, or did no better together) are
        // written one function at a time, as a fix is, and sampled on from there (ruby-semver: its fill
        // was never run, and the model's steps copied the stubs back and answered "the tests passed")
        from = failed;
        last = await this.repairFirst(userText, failed, intakeRead, { tests, runNamed, expectOutput, signal, fix: true, memory });
      }
      while (!signal.aborted) {
        if (last?.result.run && !runPassed(last.result.run) && ((this.stubTurn && last === repair) || last.partial)) {
          const run = last.result.run;
          showLook(last);
          steps.push(last);
          await this.refreshIndexAfterEdits(signal);
          this.failureOutput = `${run.stdout}\n${run.stderr}`;
          from = run;
          round = 0;
          last = await this.repairFirst(userText, run, intakeRead, { tests, runNamed, expectOutput, signal, fix: true, memory });
        } else if (!last && from && round < (this.stubTurn ? maxSampleRounds : maxRepairRounds)) {
          round++;
          last = await this.repairFirst(userText, from, intakeRead, { tests, runNamed, expectOutput, signal, fix: true, memory, round });
        } else break;
      }
      if (last) {
        showLook(last);
        // the run that failed passes now: the fix is done, and a small model given more steps re-ran
        // the passing tests until the time ran out (c-fix-strlen, 20 runs)
        if (last.result.run && runPassed(last.result.run) && ledger.verified) {
          let summary = [...steps, last].map((look) => look.summary).join(' Then ');
          // a report can say more than its failing tests check (rust-fix-average: the mean fixed by the
          // test's line, the empty slice still NaN): a test of the report's case, written now, judges once more
          if (failed && !this.stubTurn && tests && reportsBug(userText) && !signal.aborted) {
            const failedCount = failureCount(`${failed.stdout}\n${failed.stderr}`);
            // (proposed once: each failing test of the case is run against the same code before the fix)
            let unfixed: Promise<FileChange[]> | undefined;
            await this.refreshIndexAfterEdits(signal);
            const more = await this.reproduceFirst(userText, last.result.run, intakeRead, tests, {
              signal,
              pointers,
              afterFix: this.fixedFunctions(),
              ...(failedCount === undefined ? {} : { unfixed: { changes: () => (unfixed ??= this.unfixedChanges(checkpointsBefore)), failing: failedCount } }),
            });
            if (more) {
              showLook(more);
              if (more.result.run && runPassed(more.result.run)) summary = `${summary} Then ${more.summary}`;
            }
          }
          const text = `Fixed: ${summary} Changed: ${ledger.changed.join(', ')}.`;
          this.history.push({ kind: 'action', action: { thought: 'The run passes now.', tool: 'answer', args: { text } } });
          return { done: finish('answered', text) };
        }
      }
    }
    // a new test file asked for: written by code completion first (test-file-fill.ts)
    // (a project with no tests yet: the command its first test file will run with, py-add-test's pytest for test_slug.py)
    const newFileTests =
      this.addsTests && this.newTestFile && !tests && testRunner ? await this.testsWithFile(this.newTestFile, config.tests.command) : undefined;
    const firstTests = tests ?? newFileTests;
    if (newFileTests) ledger.testsFrom(newFileTests.command);
    if (this.addsTests && this.newTestFile && firstTests && (!failed || onlyMissing(failed, this.newTestFile)) && !signal.aborted) {
      const path = this.newTestFile;
      const look = await testsFirst(this.firstTry, {
        task: userText,
        path,
        tests: firstTests,
        signal,
        runMs: passedFirst?.durationMs,
        subjectFile: this.testSubjectFile,
        amend: async (change) => (await this.testWriting.amend([change], path, this.testSubject, []))?.changes[0] ?? change,
        // (only the new file's: a fix the output names in the code is not this file's to make)
        fix: async (text, output) =>
          (await this.certainFixes(output, [path], async (file) => (file === path ? text : this.options.workspace.readText(file).catch(() => undefined)))).find(
            (fix) => fix.path === path,
          ),
      });
      if (look) {
        showLook(look);
        if (look.result.run && runPassed(look.result.run) && ledger.verified) {
          const text = `${look.summary} ${look.result.run.command} passes. Changed: ${ledger.changed.join(', ')}.`;
          this.history.push({ kind: 'action', action: { thought: 'The new tests pass.', tool: 'answer', args: { text } } });
          return { done: finish('answered', text) };
        }
      }
    }
    // doc comments asked for: written by code completion first (doc-fill.ts)
    if (asksForDocComments(userText) && !readOnlyTurn && !signal.aborted) {
      const look = await docsFirst(
        this.firstTry,
        looks.flatMap(({ result }) => (result.whole ? [result.whole] : [])),
        tests,
        signal,
      );
      if (look) {
        showLook(look);
        if (look.complete && (!look.result.run || (runPassed(look.result.run) && ledger.verified))) {
          const text = `${look.summary}${look.result.run ? ` ${look.result.run.command} passes.` : ''} Changed: ${ledger.changed.join(', ')}.`;
          this.history.push({ kind: 'action', action: { thought: 'Every definition asked for has its doc comment.', tool: 'answer', args: { text } } });
          return { done: finish('answered', text) };
        }
      }
    }
    // a section of a document asked for: written by code completion from the code read (section-fill.ts)
    if (!readOnlyTurn && !asksForDocComments(userText) && !signal.aborted) {
      const written = await sectionFirst(this.firstTry, userText, signal);
      for (const look of written?.reads ?? []) showLook(look);
      if (written?.look) {
        showLook(written.look);
        if (appliedChanges(written.look.result)) {
          const text = `${written.look.summary} Changed: ${ledger.changed.join(', ')}.`;
          this.history.push({ kind: 'action', action: { thought: 'The section is written.', tool: 'answer', args: { text } } });
          return { done: finish('answered', text) };
        }
      }
    }
    // a rename or a move asked in so many words: done first by its tool (rename-first.ts, move-first.ts)
    const asked = renameTurn && renamer && this.index && !signal.aborted ? renameAsked(userText, (name) => this.definesName(name)) : undefined;
    const move = !asked && moveTurn && mover && this.index && !signal.aborted ? moveAsked(userText, (name) => this.definedIn(name)) : undefined;
    const refactor = asked
      ? { action: renameAction(renamer!, asked), only: onlyRenames(userText), done: `Renamed \`${asked.name}\` to \`${asked.newName}\``, what: 'rename' }
      : move
        ? {
            action: moveAction(mover!, move),
            only: onlyMoves(userText),
            done: `Moved ${move.names.map((n) => `\`${n}\``).join(', ')} from ${move.from} to ${move.to}`,
            what: 'move',
          }
        : undefined;
    // a new signature asked for: the definition and its calls changed first (signature-change.ts)
    if (!refactor && tests && !readOnlyTurn && changesSignature(userText) && !signal.aborted) {
      const look = await signatureFirst(this.firstTry, userText, tests, signal, passedFirst?.durationMs);
      if (look) {
        showLook(look);
        // (a new parameter no old one gives is new behaviour: the model looks at it before the turn ends)
        if (look.result.run && runPassed(look.result.run) && ledger.verified && !look.fresh && onlyChangesSignature(userText)) {
          const text = `${look.summary} ${look.result.run.command} passes. Changed: ${ledger.changed.join(', ')}.`;
          this.history.push({ kind: 'action', action: { thought: 'The tests pass with the new signature.', tool: 'answer', args: { text } } });
          return { done: finish('answered', text) };
        }
      }
    }
    // a function asked to be extracted: written, imported and called first (extract-function.ts)
    if (!refactor && tests && !readOnlyTurn && !signal.aborted) {
      const look = await extractFirst(this.firstTry, userText, tests, signal, passedFirst?.durationMs);
      if (look) {
        showLook(look);
        if (look.result.run && runPassed(look.result.run) && ledger.verified && onlyExtracts(userText)) {
          const text = `${look.summary} ${look.result.run.command} passes. Changed: ${ledger.changed.join(', ')}.`;
          this.history.push({ kind: 'action', action: { thought: 'The tests pass with the function extracted.', tool: 'answer', args: { text } } });
          return { done: finish('answered', text) };
        }
      }
    }
    if (refactor) {
      const look = await refactorFirst(this.firstTry, refactor.action, tests, signal);
      if (look) {
        showLook(look);
        // when the request asked for nothing else, the passing tests end the turn
        if (look.result.run && runPassed(look.result.run) && ledger.verified && refactor.only) {
          const text = `${refactor.done}; ${look.result.run.command} passes. Changed: ${ledger.changed.join(', ')}.`;
          this.history.push({ kind: 'action', action: { thought: `The tests pass after the ${refactor.what}.`, tool: 'answer', args: { text } } });
          return { done: finish('answered', text) };
        }
      }
    }
    return { shownWhole };
  }

  /**
   * One answer to `request`, outside the conversation (e.g. a commit message to draft): the model
   * reads the conversation so far — the prompt of the last step, so the engine reuses its cache,
   * and the model knows what was done — then `request` as the last user message, and may only
   * answer. Nothing is added to the history or the log. A long request is cut in its middle to a
   * third of the context. Rejects with ModelError (cut off at `maxTokens`, cancelled, engine).
   */
  async answerOnce(request: string, options: { signal?: AbortSignal; onToken?: (text: string) => void; maxTokens?: number } = {}): Promise<string> {
    const { model, config } = this.options;
    const count = (t: string) => model.countTokens(t);
    const context = buildContext({
      countTokens: count,
      contextSize: model.info.contextSize,
      reserveTokens: this.reserveTokens,
      stablePrefix: this.stablePrefix,
      projectContext: this.lastProjectContext,
      history: [...this.history, { kind: 'user', text: cutToTokens(request, Math.floor(model.info.contextSize / 3), count, 'The rest is not shown.') }],
      renderAction: this.protocol.render,
    });
    const constraint = this.protocol.constrain([]);
    const result = await model.next(context.messages, constraint.schema, {
      ...(constraint.text ? { text: constraint.text } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onToken ? { onToken: options.onToken } : {}),
      maxTokens: Math.min(this.reserveTokens, options.maxTokens ?? this.reserveTokens),
      temperature: config.model.temperature,
    });
    return typeof result.action.args?.text === 'string' ? result.action.args.text : '';
  }

  /** Keeps a file's current text in every prompt. Throws PathError for a path outside the project. */
  pin(path: string): void {
    const relative = this.options.workspace.relative(this.options.workspace.resolve(path));
    if (this.pins.includes(relative)) return;
    this.pins.push(relative);
    this.appendMarker({ type: 'pin', path: relative });
  }

  /** Stops pinning a file; false when it was not pinned. */
  unpin(path: string): boolean {
    let relative = path;
    try {
      relative = this.options.workspace.relative(this.options.workspace.resolve(path));
    } catch {
      // An unresolvable path may still be pinned under its literal name.
    }
    const i = this.pins.indexOf(relative);
    if (i < 0) return false;
    this.pins.splice(i, 1);
    this.appendMarker({ type: 'unpin', path: relative });
    return true;
  }

  pinned(): string[] {
    return [...this.pins];
  }

  /** Forgets the conversation (pinned files stay). */
  clear(): void {
    this.history = [];
    this.shown.clear();
    this.mapCache = undefined;
    this.appendMarker({ type: 'clear' });
  }

  /** The conversation as the model would see it now (system prompt first). */
  messages(): ChatMessage[] {
    try {
      return buildContext({
        countTokens: (t) => this.options.model.countTokens(t),
        contextSize: this.options.model.info.contextSize,
        reserveTokens: this.reserveTokens,
        stablePrefix: this.stablePrefix,
        history: this.history,
        renderAction: this.protocol.render,
      }).messages;
    } catch {
      return [{ role: 'system', content: this.stablePrefix }];
    }
  }

  setApprovalMode(mode: ApprovalMode): void {
    this.gate.mode = mode;
    this.gate.reset();
  }

  setMaxAttempts(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`maxAttempts must be a whole number of at least 1, not ${n}.`);
    this.maxAttempts = n;
  }

  setMaxSteps(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`maxSteps must be a whole number of at least 1, not ${n}.`);
    this.maxSteps = n;
  }

  settings(): AgentSettings {
    return { approvalMode: this.gate.mode, maxAttempts: this.maxAttempts, maxSteps: this.maxSteps };
  }

  /** Hands the agent the index once it has been built (tools see it from the next step on). */
  setIndex(index: RepoIndex | undefined): void {
    this.index = index;
    this.indexGeneration++;
  }

  /** Restores history and pins from a session log's entries (`assist --resume`). */
  restore(entries: object[]): { turns: number } {
    const replayed = replaySessionLog(entries);
    this.history = replayed.history;
    this.pins.splice(0, this.pins.length, ...replayed.pinned);
    return { turns: replayed.turns };
  }

  /** An applied change's observation with the checks of the files it wrote after its text; what the person must know becomes a notice. */
  private async withCheck(change: ToolResult, signal: AbortSignal): Promise<ToolResult> {
    const written = change.edit!.applied.filter((file) => !change.edit!.deleted.includes(file));
    const outcome = await this.checker.check(written, this.toolContext(signal));
    for (const message of outcome.notices) this.emit({ type: 'notice', level: 'warn', message });
    return outcome.text ? { ...change, forModel: `${change.forModel}\n${outcome.text}` } : change;
  }

  /** Files the request names that are not in the project (nor pending) yet, e.g. the file a task asks to create. */
  /** The files the request asks to be made (`filesToCreate`) that do not exist yet. */
  private missingFiles(userText: string): string[] {
    const { workspace } = this.options;
    return filesToCreate(userText).filter((name) => {
      try {
        const relative = workspace.relative(workspace.resolve(name));
        return !existsSync(workspace.resolve(relative)) && !workspace.pending().some((c) => c.path === relative);
      } catch {
        return false; // outside the project: not a file to create here
      }
    });
  }

  /**
   * After a run that failed as before with nothing changed, or after a change that did nothing to it
   * (`unmoved`; stalled-run.ts): the code of a file the turn changed that the run runs, written afresh
   * by code completion as the edit tool writes lines an edit copies (judged by the failing run,
   * through approval); what was applied, or undefined.
   */
  private async rewriteStalled(
    command: string,
    changed: readonly string[],
    signal: AbortSignal,
    unmoved = false,
  ): Promise<{ result: ToolResult; note: string } | undefined> {
    const editor = toolForRole(this.offered, 'editFile')?.tool;
    if (editor?.name !== 'edit_file' || !this.options.model.infill || !this.options.config.agent.infillRepair) return undefined;
    for (const file of filesRun(command, changed)) {
      const text = await this.options.workspace.readText(file).catch(() => undefined);
      const line = text === undefined ? undefined : anchorLine(text);
      if (!line || signal.aborted) continue;
      const result = await executeTool(editor, { path: file, edits: [{ find: `${line}\n`, replace: `${line}\n` }] }, this.toolContext(signal));
      if (appliedChanges(result))
        return {
          result,
          // (worsens judges: the turn's tests when it has them, else that run)
          note: `The run failed as before ${unmoved ? 'after your change, which changed nothing it does' : 'with nothing changed'}, so code completion wrote the code of ${file} afresh and it was checked with ${this.turnTestCommand ? 'the tests' : 'that run'}`,
        };
    }
    return undefined;
  }

  /** Keeps the output of the last failing run, and which files changed after it. */
  private noteFailure(result: ToolResult): void {
    for (const file of result.edit?.applied ?? []) this.changedAfterFailure.add(file);
    if (!result.run) return;
    // (a run that passes: no run failed last, so a rewrite is not told one did)
    if (runPassed(result.run)) {
      this.failureLines = [];
      return;
    }
    this.failureOutput = `${result.run.stdout}\n${result.run.stderr}`;
    this.failureLines = failureNoteLines(result);
    this.changedAfterFailure.clear();
  }

  private toolContext(signal: AbortSignal): ToolContext {
    const { root, config, workspace, sandbox } = this.options;
    return {
      root,
      config,
      workspace,
      ...(this.index ? { index: this.index } : {}),
      ...(sandbox ? { sandbox } : {}),
      signal,
      seen: (file) => this.seen.has(file),
      failingLines: (file) => (this.failureOutput && !this.changedAfterFailure.has(file) ? linesNamed(this.failureOutput, file) : []),
      ...(this.options.model.infill && this.options.config.agent.infillRepair
        ? {
            infill: (request) => this.reads.infill(request, signal),
            ...(this.options.model.doubts ? { doubts: (request: DoubtAsk) => this.reads.doubts(request, signal) } : {}),
            worsens: (changes) => this.worsens(changes, signal),
            requestComment: (path: string) => (this.turnRequest.trim() ? requestAbove(path, this.turnRequest) : undefined),
            failureNote: () => (this.failureLines.length ? this.failureLines : undefined),
            seedsFor: (key: string, count: number) => {
              const first = this.triedSeeds.get(key) ?? 0;
              this.triedSeeds.set(key, first + count);
              return Array.from({ length: count }, (_, i) => first + i);
            },
          }
        : {}),
      holdChange: (changes) =>
        settingsHeld(changes, this.turnRequest) ??
        namedFileDeleted(changes, this.turnRequest) ??
        (this.addsTests ? droppedProjectTests(changes, this.newTestFile, this.turnRequest) : undefined) ??
        droppedDefinitions(changes, this.index, this.turnRequest) ??
        this.keptGuard?.hold(changes) ??
        this.testGuard?.hold(changes) ??
        (this.stubTurn ? keptStubs(changes, toolForRole(this.offered, 'createFile')?.tool.name) : undefined) ??
        (this.writesCode ? addedStubs(changes, toolForRole(this.offered, 'createFile')?.tool.name) : undefined) ??
        (this.addsTests ? testlessTestFile(changes, this.testSubject) : undefined) ??
        (this.addsTests ? this.testWriting.copiesHeld(changes) : undefined),
      ...(this.addsTests
        ? { amendChanges: (changes: readonly FileChange[]) => this.testWriting.amend(changes, this.newTestFile, this.testSubject, this.turnChanged) }
        : {}),
      ...(this.turnTests ? { tests: this.turnTests } : {}),
      drafts: this.drafts,
      approve: (request) => this.gate.approve(request, signal),
    };
  }

  /**
   * What a failed run's compiler says the files just changed are missing (compiler-fixes.ts),
   * proposed as assist's own change (approval as for any change); the words for the model, or
   * undefined when nothing was named or the change was not applied.
   */
  private async compilerFix(
    changed: string[],
    run: NonNullable<ToolResult['run']> | string,
    signal: AbortSignal,
    what = 'the tests',
  ): Promise<string | undefined> {
    const { workspace } = this.options;
    const output = typeof run === 'string' ? run : `${run.stdout}\n${run.stderr}`;
    const fixes = await this.certainFixes(output, changed, (file) => workspace.readText(file).catch(() => undefined));
    if (fixes.length === 0) return undefined;
    const applied = await proposeAndApply(this.toolContext(signal), async () => Promise.all(fixes.map((fix) => workspace.proposeChange(fix.path, fix.text))));
    if (!appliedChanges(applied)) return undefined;
    const words = fixes.map((fix) => `${fix.path}: ${fix.what}`).join('; ');
    this.emit({ type: 'notice', level: 'info', message: `Fixed what the output named for certain (${words}) and ran ${what} again.` });
    const What = `${what[0].toUpperCase()}${what.slice(1)}`;
    return typeof run === 'string'
      ? `${What} named what assist can fix for certain, so assist fixed it (${words}) and ran ${what} again:`
      : `${What} failed on what assist can fix for certain, so assist fixed it (${words}) and ran it again:`;
  }

  /**
   * What a failing run's output names that assist can fix for certain in the files `changed`
   * (compiler-fixes.ts), or else, in new tests of code the request keeps as it is, what they expect
   * wrongly set to what the code returns (expected-values.ts). `read`: the files' text.
   */
  private async certainFixes(output: string, changed: string[], read: (file: string) => Promise<string | undefined>): Promise<CompilerFix[]> {
    const { workspace } = this.options;
    const fixes = await compilerFixes(
      output,
      changed,
      read,
      async (dir) => (await readdir(workspace.resolve(dir)).catch(() => [] as string[])).map((name) => (dir === '.' ? name : `${dir}/${name}`)),
      { definer: (name, language, any) => this.testWriting.definerOf(name, language, any), files: () => indexedFiles(this.index) },
    );
    if (fixes.length === 0 && this.addsTests && keepsCodeAsIs(this.turnRequest) && onlyTestFiles(changed)) {
      const tests = new Map<string, string>();
      for (const file of changed.filter((f) => anyTestFile([f]))) {
        const text = await read(file);
        if (text !== undefined) tests.set(file, text);
      }
      fixes.push(...actualAsExpected(output, tests));
    }
    return fixes;
  }

  /** The files that define `name` outside a class (the index's definitions, methods left out). */
  private definedIn(name: string): string[] {
    try {
      return [...new Set((this.index?.symbols(name, { maxRefs: 0 }).defs ?? []).filter((d) => d.kind !== 'method').map((d) => d.path))];
    } catch {
      return [];
    }
  }

  /** The names the request asks to be made (asked-names.ts) that no file defines, the index brought up to date first. */
  private async missingNames(userText: string, signal: AbortSignal): Promise<string[]> {
    const asked = namesAskedFor(userText);
    if (asked.length === 0 || !this.index) return [];
    await this.refreshIndexAfterEdits(signal);
    return asked.filter((name) => !this.definesName(name));
  }

  /** Whether the index has a definition of `name`. */
  private definesName(name: string): boolean {
    try {
      return (this.index?.symbols(name, { maxRefs: 0 }).defs.length ?? 0) > 0;
    } catch {
      return false;
    }
  }

  /**
   * The intake's try at a fix by code completion (infill-repair.ts), checked by the failing run's
   * own command: the project's tests, or the command the request names (with the output it expects).
   */
  private async repairFirst(
    task: string,
    failed: NonNullable<ToolResult['run']>,
    files: string[],
    how: {
      tests?: { command: string };
      runNamed?: string;
      expectOutput?: { command: string; output: string };
      signal: AbortSignal;
      /** A test of the report's case, run staged with every try (reproduction.ts). */
      staged?: Array<FileChange & { after: string }>;
      /** Text pointing at lines to try first (infill-repair.ts). */
      pointers?: string;
      /** A fix even in a turn that fills stubs: the stubs were filled, and their code fails. */
      fix?: boolean;
      /** Time for the tries, when not the usual. */
      budgetMs?: number;
      /** A later round of samples, and what the rounds before learned (infill-repair.ts). */
      round?: number;
      memory?: RepairMemory;
    },
  ): Promise<RepairLook | undefined> {
    if (!this.options.config.agent.infillRepair || !this.options.model.infill || !this.index) return undefined;
    const tools = this.offered;
    const edit = toolForRole(tools, 'editFile')?.tool.name;
    const tester = toolForRole(tools, 'runTests');
    const runner = toolForRole(tools, 'runCommand');
    let check: (() => Promise<ToolResult>) | undefined;
    const tryContext = () => this.tryContext(how.signal, failed.durationMs);
    const staged = how.staged ?? [];
    if (how.tests && tester && failed.command.trim() === how.tests.command.trim())
      check = () => withStaged(this.options.workspace, staged, () => executeTool(tester.tool, tester.call(), tryContext()));
    else if (how.runNamed && runner && failed.command.trim() === how.runNamed.trim())
      check = async () => judgeExpectedOutput(await executeTool(runner.tool, runner.call(how.runNamed!), tryContext()), how.expectOutput);
    if (!edit || !check) return undefined;
    return infillRepair({
      task,
      failure: `${failed.stdout}\n${failed.stderr}`,
      files,
      index: this.index,
      ctx: this.toolContext(how.signal),
      runTests: check,
      ...(staged.length ? { staged } : {}),
      ...(how.pointers ? { pointers: how.pointers } : {}),
      stubs: this.stubTurn && !how.fix,
      filled: this.stubTurn,
      ...(how.budgetMs ? { budgetMs: how.budgetMs } : {}),
      ...(how.round ? { round: how.round } : {}),
      ...(how.memory ? { memory: how.memory } : {}),
      editTool: edit,
      log: (message, detail) => this.emit({ type: 'notice', level: 'info', message }, detail),
    });
  }

  /** A tool context for a staged try: a run that hangs is given up sooner than the sandbox's limit (its loop is not worth the wait). */
  private tryContext(signal: AbortSignal, failedRunMs: number | undefined): ToolContext {
    const ctx = this.toolContext(signal);
    const timeoutMs = tryTimeoutMs(failedRunMs, ctx.config.sandbox.timeoutMs);
    return { ...ctx, config: { ...ctx.config, sandbox: { ...ctx.config.sandbox, timeoutMs } } };
  }

  /** The project's test command once `file`, a test file not written yet, is there (its language's rule finds it); undefined when none. */
  private async testsWithFile(file: string, configured: string | null): Promise<{ command: string; from: string } | undefined> {
    const snapshot = this.options.workspace.snapshot();
    const overlay = new Map(snapshot.overlay);
    if (!overlay.has(file)) overlay.set(file, '');
    return projectTestCommand(configured, { ...snapshot, overlay }).catch(() => undefined);
  }

  /**
   * For a bug report whose tests pass: a test of the report's case written by code completion
   * (reproduction.ts), and when it fails, the repair judged by it and the project's tests together.
   * `afterFix`: the report's failing tests were just fixed; the functions that fix changed and their
   * callers, one of which a test of the case must call, and the first such test that passes ends it.
   * The test is not kept, unless it sits in the code the repair rewrote (a Rust test module); the
   * repair's look says which.
   */
  private async reproduceFirst(
    task: string,
    passed: NonNullable<ToolResult['run']>,
    files: string[],
    tests: { command: string },
    {
      signal,
      pointers,
      afterFix,
      unfixed,
    }: { signal: AbortSignal; pointers: string; afterFix?: string[]; unfixed?: { changes: () => Promise<FileChange[]>; failing: number } },
  ): Promise<RepairLook | undefined> {
    const tester = toolForRole(this.offered, 'runTests');
    if (!this.options.config.agent.infillRepair || !this.options.model.infill || !this.index || !tester) return undefined;
    if (passed.command.trim() !== tests.command.trim()) return undefined;
    const testFiles = await this.projectTests(signal);
    // (and the tests inside the code the intake read: Rust's test modules)
    for (const path of files.filter((file) => !anyTestFile([file]))) {
      const text = await readText(this.toolContext(signal), path);
      if (text !== undefined && testSites(path, text).length > 0) testFiles.push({ path, text });
    }
    const log = (message: string, detail: Record<string, unknown>) => this.emit({ type: 'notice', level: 'info', message }, detail);
    const repro = await reproduce({
      task,
      ctx: this.toolContext(signal),
      tests: testFiles,
      runTests: () => executeTool(tester.tool, tester.call(), this.tryContext(signal, passed.durationMs)),
      timeoutMs: afterFix ? reproduceAfterFixForMs : reproduceForMs,
      ...(afterFix ? { stopWhenPasses: true, mustCall: afterFix } : {}),
      ...(unfixed ? { unfixed } : {}),
      log,
    });
    if (!repro) return undefined;
    // (the repair's infills read the test files its failure names; after it, the project's own tests judge again)
    this.failureOutput = `${repro.run.stdout}\n${repro.run.stderr}`;
    const look = await this.repairFirst(task, repro.run, files, {
      tests,
      signal,
      staged: [repro.change],
      pointers,
      ...(afterFix ? { budgetMs: repairAfterFixForMs } : {}),
    });
    this.failureOutput = '';
    this.failureLines = [];
    if (!look) return undefined;
    // (a test inside the code it tests, as Rust's are, went in with the fix of that file)
    const kept = look.result.edit?.applied.includes(repro.change.path) ? 'kept there' : 'not kept';
    const note = `A test of the report's case, written first in ${repro.change.path} and ${kept}, failed with the code as it was and passes with the change:\n${repro.test}`;
    return {
      ...look,
      summary: `${look.summary} (judged by a test of the report's case, ${kept === 'kept there' ? `kept in ${repro.change.path}` : 'not kept'})`,
      result: { ...look.result, forModel: `${look.result.forModel}\n${note}` },
    };
  }

  /**
   * Whether `changes`, staged only, make the turn's tests fail worse than the last failing run (more
   * failures, or failing where none had failed). Without tests, the model's last failing run judges:
   * false when it passes with them (bash-count-lines: the top-level `echo "… $(wc -l "$1")"` copied
   * unchanged three times, its rewrite dropped for want of tests), else undefined: nothing to tell.
   */
  private async worsens(changes: FileChange[], signal: AbortSignal): Promise<boolean | undefined> {
    const tester = toolForRole(this.offered, 'runTests');
    if (signal.aborted) return undefined;
    if (!this.turnTestCommand || !tester) {
      const last = this.lastFailedRun;
      if (!last) return undefined;
      const { run } = await withStaged(this.options.workspace, changes, async () =>
        judgeExpectedOutput(await executeTool(last.tool, last.args, this.toolContext(signal)), last.expect),
      );
      return run && runPassed(run) ? false : undefined;
    }
    const { run } = await withStaged(this.options.workspace, changes, () => executeTool(tester.tool, tester.call(), this.toolContext(signal)));
    if (!run || runPassed(run)) return false;
    if (!this.failureOutput) return true;
    const before = failureCount(this.failureOutput);
    const after = failureCount(`${run.stdout}\n${run.stderr}`);
    // (no count after, where there was one: a build error instead of failing tests)
    if (before === undefined) return false;
    return after === undefined || after > before;
  }

  /** Whether `file` is there in the project (false for a path outside it). */
  private inProject(file: string): boolean {
    try {
      return existsSync(this.options.workspace.resolve(file));
    } catch {
      return false;
    }
  }

  /** The project's test files (the first `maxReadTests` the index lists) with their text. */
  private async projectTests(signal: AbortSignal): Promise<Array<{ path: string; text: string }>> {
    const files: Array<{ path: string; text: string }> = [];
    for (const path of indexedFiles(this.index)
      .filter((file) => anyTestFile([file]))
      .slice(0, maxReadTests)) {
      const text = await readText(this.toolContext(signal), path);
      if (text !== undefined) files.push({ path, text });
    }
    return files;
  }

  /**
   * The functions the last applied change rewrote (the lines it changed fall in them) and the
   * functions that call those (a test reaches `findConflicts` through `bookRoom`): what a test of
   * the fixed code calls. Read off the index after it was refreshed.
   */
  private fixedFunctions(): string[] {
    const last = this.options.workspace.applied().at(-1);
    if (!last || !this.index) return [];
    const fixed = new Set<string>();
    const within = (path: string, from: number, to: number) =>
      (this.index?.outline(path) ?? []).filter((d) => (d.kind === 'function' || d.kind === 'method') && d.line <= to && d.endLine >= from);
    for (const change of last.changes) {
      if (change.before === null || change.after === null) continue;
      const before = change.before.split('\n');
      const after = change.after.split('\n');
      let top = 0;
      while (top < before.length && top < after.length && before[top] === after[top]) top++;
      let bottom = 0;
      while (bottom < before.length - top && bottom < after.length - top && before[before.length - 1 - bottom] === after[after.length - 1 - bottom]) bottom++;
      for (const def of within(change.path, top + 1, Math.max(top + 1, after.length - bottom))) fixed.add(def.name);
    }
    const callers = new Set<string>();
    for (const name of fixed) {
      try {
        for (const ref of this.index.symbols(name, { maxRefs: 50 }).refs)
          if (!anyTestFile([ref.path])) for (const def of within(ref.path, ref.line, ref.line)) callers.add(def.name);
      } catch {
        // (no references: the fixed functions alone)
      }
    }
    return [...new Set([...fixed, ...callers])];
  }

  /**
   * Changes that put the files changed since the checkpoints `before` back as they were then (a file
   * created since is left: a test of the old code cannot have needed it).
   */
  private async unfixedChanges(before: ReadonlySet<string>): Promise<FileChange[]> {
    const was = new Map<string, string>();
    for (const { checkpointId, changes } of this.options.workspace.applied()) {
      if (before.has(checkpointId)) continue;
      for (const change of changes) if (change.before !== null && !was.has(change.path)) was.set(change.path, change.before);
    }
    const back: FileChange[] = [];
    for (const [path, text] of was) back.push(await this.options.workspace.proposeChange(path, text));
    return back.filter((change) => change.before !== change.after);
  }

  /** Names the state of the applied changes (checkpoints come and go with edits and undo). */
  private appliedKey(): string {
    return this.options.workspace
      .applied()
      .map((a) => a.checkpointId)
      .join(',');
  }

  /**
   * Re-reads the files changed since the index last looked (an incremental update: only those
   * files are parsed), so the repo map of this turn shows what earlier turns wrote.
   */
  private async refreshIndexAfterEdits(signal: AbortSignal): Promise<void> {
    const applied = this.appliedKey();
    if (!this.index || applied === this.indexedAtApplied) return;
    try {
      await this.index.update(undefined, signal);
      this.indexedAtApplied = applied;
    } catch {
      // a failed or cancelled refresh leaves the last map (still useful) and is tried again next turn
    }
  }

  /**
   * What the text grammar knows of the workspace this step: the files, the seen ones as edit anchors
   * (no test file when the task rules out changing tests), and the files the conversation shows
   * whole and unchanged, which read_file cannot name.
   */
  private async grammarView(): Promise<WorkspaceView> {
    const seen = await this.seen.view(this.options.workspace, this.index);
    // a shown file was seen too: its text is in the view already, not read a second time
    const shown = await this.shown.unchanged(async (file) => seen.seen?.get(file) ?? this.options.workspace.readText(file));
    const view = wholeWriteView(withoutKeptFiles(editableView(seen, this.testGuard), this.keptGuard), this.wholeRule());
    // a refused new file's draft is edited by its own lines (while no file of that name is there)
    const drafts = [...this.drafts].filter(([file]) => !view.seen?.has(file));
    const withDrafts = drafts.length ? { ...view, seen: new Map([...(view.seen ?? []), ...drafts]) } : view;
    return shown.size ? { ...withDrafts, shown } : withDrafts;
  }

  /** What the model read last: the last observation or note of the history (the user's request too). */
  private lastRead(): Exclude<HistoryEntry, { kind: 'action' }> | undefined {
    return this.history.findLast((item): item is Exclude<HistoryEntry, { kind: 'action' }> => item.kind !== 'action');
  }

  /**
   * The note the model read last, when the last thing it read was one (not a file or a run: an
   * answer to a question rightly says the words of the code it just read).
   */
  private lastNote(): string | undefined {
    const last = this.lastRead();
    return last?.kind === 'user' && last.note ? last.text : undefined;
  }

  /** Which files this turn changes by writing them whole (text protocol only: the JSON one has no grammar of files). */
  private wholeRule(): WholeFileRule {
    const maxLines = this.protocol.format === 'text' ? this.options.config.agent.wholeFileLines : 0;
    return { maxLines, stubTurn: this.stubTurn };
  }

  /** In a question's turn: the note for an answer that names no function or environment variable when one is asked for, or code only outside the folder the question asks about. */
  private async answerScope(question: string, text: string): Promise<{ offTarget?: string }> {
    const note =
      answerMissingParts(question, text, this.index) ??
      (await answerOutsideFolders(question, text, this.index, (file) => this.options.workspace.readText(file).catch(() => undefined)));
    return note ? { offTarget: note } : {};
  }

  /** The current text of each of `paths` (once each; a file gone or unreadable is left out). */
  private async readTexts(paths: ReadonlyArray<string | undefined>): Promise<Array<{ path: string; text: string }>> {
    const out: Array<{ path: string; text: string }> = [];
    for (const path of new Set(paths)) {
      if (!path) continue;
      try {
        out.push({ path, text: await this.options.workspace.readText(path) });
      } catch {
        // gone or unreadable: nothing to say of it
      }
    }
    return out;
  }

  /** Notes a read that showed the model a whole file, uncut, as it is now. */
  private async noteShown(result: ToolResult, modelText: string, where: string): Promise<void> {
    if (result.error || !result.whole || !modelText.startsWith(result.forModel)) return;
    try {
      this.shown.note(result.whole, await this.options.workspace.readText(result.whole), where);
    } catch {
      // unreadable now: nothing to remember
    }
  }

  /** The reminder for a read of a file the conversation already shows whole and unchanged; else undefined. */
  private async alreadyShown(tool: Tool<any>, args: unknown, wantsChange: boolean): Promise<ToolResult | undefined> {
    const reader = toolForRole(this.options.tools, 'readFile');
    const { path, startLine, endLine } = (args ?? {}) as { path?: unknown; startLine?: unknown; endLine?: unknown };
    // a line range reads again: a closer look at part of the file costs little
    if (reader?.tool.name !== tool.name || typeof path !== 'string' || startLine != null || endLine != null) return undefined;
    try {
      const rel = this.options.workspace.relative(this.options.workspace.resolve(path));
      const shown = this.shown.shownAs(rel, await this.options.workspace.readText(rel));
      if (!shown) return undefined;
      const editTool = wantsChange ? toolForRole(this.options.tools, 'editFile')?.tool.name : undefined;
      return { forModel: alreadyShownNote(rel, shown, editTool), seen: [rel] };
    } catch {
      return undefined; // the tool itself says what is wrong with the path
    }
  }

  /**
   * The repo map, kept the same from turn to turn (so the engine reuses its KV cache for the
   * whole conversation) until the pinned files, the index or the applied changes differ: the
   * turn that makes it sets the files it centres on: `shown`, the files that turn's intake showed
   * whole, are left out of it, and with them in view the map is their neighbourhood at half the size
   * (every token of the prompt is read before the first step: ~60 tokens/s for the 1.5B model on two cores).
   */
  private repoMapFor(mapTokens: number, shown: string[]): string {
    const index = this.index;
    if (!index) return '';
    const key = JSON.stringify([this.pins, mapTokens, this.appliedKey(), this.indexGeneration]);
    if (this.mapCache?.key !== key) {
      this.mapCache = {
        key,
        text: buildRepoMapContext({
          index,
          pinned: this.pins,
          focusText: this.recentUserText(),
          shownFiles: shown,
          mapTokens: shown.length ? Math.floor(mapTokens / 2) : mapTokens,
          countTokens: (t) => this.options.model.countTokens(t),
        }),
      };
    }
    return this.mapCache.text;
  }

  private recentUserText(): string {
    return this.history
      .filter((e): e is Extract<HistoryEntry, { kind: 'user' }> => e.kind === 'user' && !e.note)
      .slice(-3)
      .map((e) => e.text)
      .join('\n');
  }

  private stopSummary(headline: string, attempts: AttemptTracker, lastThought: string): string {
    const lines = [headline];
    if (attempts.records.length) {
      lines.push('What was tried:', attempts.summary());
      const best = attempts.best();
      if (best) lines.push(`Best attempt: #${best.attempt} (${best.passed ? 'passed' : best.timedOut ? 'timed out' : `exit ${best.exitCode ?? '?'}`}).`);
    }
    if (lastThought) lines.push(`Last thought: ${lastThought}`);
    return lines.join('\n');
  }

  private appendMarker(entry: SessionLogMarker): void {
    if (this.logFailed) return;
    try {
      this.options.log?.append(entry);
    } catch {
      this.logFailed = true;
    }
  }

  private emit(event: AgentEvent, extra?: Record<string, unknown>): void {
    if (event.type !== 'token' && this.options.log && !this.logFailed) {
      try {
        this.options.log.append({ ...event, ...extra });
      } catch (error) {
        this.logFailed = true;
        this.emit({
          type: 'notice',
          level: 'warn',
          message: `The session log ${this.options.log.path} cannot be written (${(error as Error).message}); continuing without it.`,
        });
      }
    }
    try {
      this.options.onEvent?.(event);
    } catch {
      // A broken renderer must not break the turn.
    }
  }
}
