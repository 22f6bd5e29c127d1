import chalk from 'chalk';
import type { AgentEvent, TurnStatus } from '../../agent/events.ts';
import type { ApprovalAnswer, ApprovalRequest } from '../../workspace/approval.ts';
import { diffStat } from '../../text/diff-stat.ts';
import { colourDiff } from './colour-diff.ts';
import { ProgressLine, type LineStream } from './progress-line.ts';
import { ThoughtStream } from './thought-stream.ts';
import { firstLines, formatToolCall } from './tool-call.ts';

/** Options of an EventRenderer. */
export interface EventRendererOptions {
  /** Show per-step context sizes and full observations. */
  verbose?: boolean;
  /** Lines of an observation shown (default 3). */
  observationLines?: number;
  /** Shown after the index progress bar (e.g. how to stop waiting for it). */
  indexNote?: string;
}

/** The index status as last reported, for the banner and `/model`. */
export type IndexState = Extract<AgentEvent, { type: 'index' }>['status'] | 'unknown';

/**
 * Renders agent events for a person at a terminal: the thought streams as it is generated, each
 * tool call is one line, observations are brief, diffs are coloured, the final answer stands out.
 * Index progress is drawn as a single-line bar on the error stream.
 */
export class EventRenderer {
  private readonly thought = new ThoughtStream();
  private midLine = false;
  private readonly progress: ProgressLine;
  private indexState: IndexState = 'unknown';
  private indexFiles = 0;
  private indexMessage = '';
  private indexWaiters: Array<() => void> = [];
  /** While a prompt is being typed, background progress is not drawn over it. */
  promptActive = false;

  constructor(
    private readonly out: LineStream,
    private readonly err: LineStream,
    private readonly options: EventRendererOptions = {},
  ) {
    this.progress = new ProgressLine(err, chalk.dim('indexing'));
  }

  /** Renders one event. Bound, so it can be passed as `onEvent`. */
  readonly handle = (event: AgentEvent): void => {
    switch (event.type) {
      case 'user':
        return;
      case 'step':
        this.endThought();
        this.thought.reset();
        return;
      case 'token': {
        const text = this.thought.push(event.text);
        if (!text) return;
        if (!this.midLine) this.out.write(chalk.dim('✻ '));
        this.out.write(chalk.dim.italic(text));
        this.midLine = !text.endsWith('\n');
        return;
      }
      case 'action': {
        if (!this.thought.started && event.action.thought) this.out.write(chalk.dim(`✻ ${chalk.italic(event.action.thought)}`) + '\n');
        this.endThought();
        this.thought.reset();
        if (event.action.tool !== 'answer') this.line(`${chalk.cyan('→')} ${chalk.bold(formatToolCall(event.action))}`);
        return;
      }
      case 'invalid_action':
        this.endThought();
        this.line(chalk.yellow(`! step ${event.step}: ${event.message}`));
        return;
      case 'approval':
        this.endThought();
        this.approval(event.request, event.decision, event.answer);
        return;
      case 'observation':
        this.observation(event);
        return;
      case 'intake':
        this.line(chalk.dim(`· looked first: ${formatToolCall(event.action)}${event.result.error ? ` (${event.result.error.code})` : ''}`));
        return;
      case 'attempt': {
        const run = event.run;
        const how = run.timedOut ? 'timed out' : `exit ${run.exitCode}`;
        const text = `attempt ${event.attempt}/${event.maxAttempts}: ${event.passed ? 'passed' : 'failed'} (${how}, ${run.durationMs} ms)`;
        this.line(event.passed ? chalk.green(`✓ ${text}`) : chalk.yellow(`✗ ${text}`));
        return;
      }
      case 'result':
        this.endThought();
        this.out.write(formatTurnResult(event.status, event.text, event.steps, event.attempts));
        return;
      case 'notice':
        this.endThought();
        this.line(event.level === 'warn' ? chalk.yellow(`! ${event.message}`) : chalk.dim(`· ${event.message}`));
        return;
      case 'index':
        this.index(event);
        return;
      case 'context':
        if (this.options.verbose || event.compacted > 0) {
          const note = event.compacted > 0 ? `, ${event.compacted} older observations compacted` : '';
          this.line(chalk.dim(`· context ${event.promptTokens}/${event.budget} tokens${note}`));
        }
        return;
      default:
        event satisfies never;
    }
  };

  /** One line of the index status: `ready (N files)`, `building 3/10`, `disabled`, … */
  indexStatus(): string {
    switch (this.indexState) {
      case 'unknown':
        return 'building…';
      case 'progress':
        return `building… ${chalk.dim('(the agent works without the repo map until it is ready)')}`;
      case 'ready':
        return `ready ${chalk.dim(`(${this.indexFiles} file${this.indexFiles === 1 ? '' : 's'})`)}`;
      case 'failed':
        return chalk.yellow(`failed: ${this.indexMessage}`);
      case 'disabled':
        return chalk.dim('disabled');
      default:
        return this.indexState satisfies never;
    }
  }

  /** The last index status seen. */
  get indexing(): IndexState {
    return this.indexState;
  }

  /** Resolves once the index reports ready, failed or disabled. */
  indexSettled(): Promise<void> {
    if (this.indexState === 'ready' || this.indexState === 'failed' || this.indexState === 'disabled') return Promise.resolve();
    return new Promise((resolve) => this.indexWaiters.push(resolve));
  }

  /** Ends a streamed thought line, if one is open. */
  endThought(): void {
    if (this.midLine) this.out.write('\n');
    this.midLine = false;
  }

  private line(text: string): void {
    this.endThought();
    this.out.write(text + '\n');
  }

  private index(event: Extract<AgentEvent, { type: 'index' }>): void {
    this.indexState = event.status;
    this.indexMessage = event.message ?? '';
    if (event.status === 'progress') {
      if (!this.promptActive) this.progress.update(event.done, event.total, this.options.indexNote);
      return;
    }
    if (event.status === 'ready') this.indexFiles = event.total;
    if (this.progress.drawn) this.progress.finish(this.indexStatus());
    const waiters = this.indexWaiters;
    this.indexWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private approval(request: ApprovalRequest, decision: 'auto' | 'ask' | 'reject', answer: ApprovalAnswer): void {
    const what = describeRequest(request);
    if (decision === 'reject') {
      this.line(chalk.red(`✗ ${what}: not allowed in this approval mode`));
      return;
    }
    if (decision === 'auto') {
      this.line(chalk.green(`✓ ${what} ${chalk.dim('(auto-approved)')}`));
      if (request.kind === 'edit') for (const change of request.changes) this.out.write(colourDiff(change.diff.replace(/\n$/, '')) + '\n');
      return;
    }
    // A yes was just shown by the prompt itself; say more only when there is more to say.
    if (answer.answer !== 'yes' || answer.paths) this.line(formatAnswer(what, answer));
  }

  private observation(event: Extract<AgentEvent, { type: 'observation' }>): void {
    this.endThought();
    const { result } = event;
    if (result.error) {
      this.line(chalk.red(`  ✗ ${result.error.code}: ${firstLines(result.error.message, 3)}`));
      return;
    }
    // An applied edit's forUser is its diff, already shown for approval: show the summary instead.
    const text = result.forUser && !looksLikeDiff(result.forUser) ? result.forUser : result.forModel;
    if (!text.trim()) return;
    const lines = this.options.verbose ? 1000 : (this.options.observationLines ?? 3);
    this.line(chalk.dim(indent(firstLines(text, lines), '  ')));
  }
}

/** How the turn ended, for the person: the answer clearly, or why the agent stopped. */
export function formatTurnResult(status: TurnStatus, text: string, steps: number, attempts: number): string {
  const stats = chalk.dim(`(${steps} step${steps === 1 ? '' : 's'}${attempts ? `, ${attempts} run${attempts === 1 ? '' : 's'}` : ''})`);
  const body = text.trim();
  switch (status) {
    case 'answered':
      return `\n${body}\n${stats}\n`;
    case 'aborted':
      return `${chalk.yellow(body.startsWith('Cancelled') ? body : `Cancelled.${body ? ` ${body}` : ''}`)} ${stats}\n`;
    case 'max_steps':
    case 'max_attempts':
    case 'repeated_failure':
    case 'model_error':
      return `\n${chalk.yellow.bold(statusTitle(status))}\n${body}\n${stats}\n`;
    default:
      return status satisfies never;
  }
}

function statusTitle(status: Exclude<TurnStatus, 'answered' | 'aborted'>): string {
  switch (status) {
    case 'max_steps':
      return 'Stopped: the step limit for this turn was reached.';
    case 'max_attempts':
      return 'Stopped: the attempt limit was reached (the best attempt is kept).';
    case 'repeated_failure':
      return 'Stopped: the same failing action was repeated.';
    case 'model_error':
      return 'The model failed:';
    default:
      return status satisfies never;
  }
}

/** `edit a.ts (+3 -1)`, `run "npm test" in docker`, `read .env (looks like a secret)`. */
export function describeRequest(request: ApprovalRequest): string {
  if (request.kind === 'exec') return `run ${JSON.stringify(request.command)} in ${request.sandbox === 'none' ? 'no sandbox' : request.sandbox}`;
  if (request.kind === 'read-secret') return `read ${request.path} (looks like a secret)`;
  if (request.kind === 'mcp') return `call ${request.tool} of the MCP server ${request.server}`;
  const files = request.changes.map((c) => {
    const { added, removed } = diffStat(c.diff);
    const verb = c.before === null ? 'create' : c.after === null ? 'delete' : 'edit';
    return `${verb} ${c.path} (+${added} -${removed})`;
  });
  return files.length === 1 ? files[0] : `change ${files.length} files: ${files.join(', ')}`;
}

function formatAnswer(what: string, answer: ApprovalAnswer): string {
  switch (answer.answer) {
    case 'yes':
      return chalk.green(`✓ ${what}${answer.paths ? ` (only ${answer.paths.join(', ')})` : ''}`);
    case 'always':
      return chalk.green(`✓ ${what} ${chalk.dim('(always, for this session)')}`);
    case 'edit':
      return chalk.green(`✓ ${what} ${chalk.dim(`(with your edits to ${Object.keys(answer.edited).join(', ')})`)}`);
    case 'no':
      return chalk.red(`✗ ${what} declined${answer.reason ? `: ${answer.reason}` : ''}`);
    default:
      return answer satisfies never;
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

function looksLikeDiff(text: string): boolean {
  return /^(---|\+\+\+|Index: |@@)/m.test(text) && /^@@ /m.test(text);
}
