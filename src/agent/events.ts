/**
 * What the agent reports while it works. The CLI renders these; `--json` prints them as
 * newline-delimited JSON; the session log stores them.
 */
import type { Action, StepResult } from '../model/language-model.ts';
import type { ToolResult } from '../../tools/tool.ts';
import type { ApprovalAnswer, ApprovalRequest } from '../workspace/approval.ts';

/** Why a turn ended. */
export type TurnStatus = 'answered' | 'max_steps' | 'max_attempts' | 'repeated_failure' | 'aborted' | 'model_error';

export type AgentEvent =
  | { type: 'user'; text: string }
  | { type: 'step'; step: number; maxSteps: number }
  | { type: 'token'; text: string }
  | { type: 'action'; step: number; action: Action; usage: StepResult['usage']; timings: StepResult['timings'] }
  /** cutOff: the step reached model.maxTokens before its action was complete (a bound, not a malformed action). */
  | { type: 'invalid_action'; step: number; message: string; cutOff?: boolean }
  | { type: 'approval'; request: ApprovalRequest; decision: 'auto' | 'ask' | 'reject'; answer: ApprovalAnswer }
  | { type: 'observation'; step: number; tool: string; result: ToolResult; durationMs: number }
  /** A look the agent took for the model before its first step (task intake): a file the task names, or the tests. */
  | { type: 'intake'; action: Action; result: ToolResult; durationMs: number }
  | { type: 'attempt'; attempt: number; maxAttempts: number; passed: boolean; run: NonNullable<ToolResult['run']> }
  | { type: 'result'; status: TurnStatus; text: string; steps: number; attempts: number }
  /** Something the person should know that is not a tool result: a compacted history, a repeated action. */
  | { type: 'notice'; level: 'info' | 'warn'; message: string }
  /** Index progress for the banner: `progress` while building, then `ready`, `failed` or `disabled`. */
  | { type: 'index'; status: 'progress' | 'ready' | 'failed' | 'disabled'; done: number; total: number; message?: string }
  /** How full the context was for one model step (tokens as counted by the model's tokenizer). */
  | { type: 'context'; step: number; promptTokens: number; budget: number; contextSize: number; compacted: number };

/** The CLI's side of approval: show the request to a person (or apply a non-interactive policy). */
export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalAnswer>;
