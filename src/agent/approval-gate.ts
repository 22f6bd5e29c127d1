/**
 * The agent's side of approval: the pure `decideApproval` policy, the session's "always" answers,
 * and the CLI's Approver for everything that must be asked.
 */
import type { ApprovalMode } from '../config/schema.ts';
import { decideApproval, type ApprovalAnswer, type ApprovalDecision, type ApprovalRequest } from '../workspace/approval.ts';
import type { AgentEvent, Approver } from './events.ts';

/** A key under which an "always" answer is remembered: all edits, runs in one sandbox kind, one secret file, or one MCP server's tool. */
function alwaysKey(request: ApprovalRequest): string {
  switch (request.kind) {
    case 'edit':
      return 'edit';
    case 'exec':
      return `exec:${request.sandbox}`;
    case 'read-secret':
      return `read-secret:${request.path}`;
    case 'mcp':
      return `mcp:${JSON.stringify([request.server, request.tool])}`;
    default:
      return request satisfies never;
  }
}

export class ApprovalGate {
  private readonly always = new Set<string>();

  constructor(
    public mode: ApprovalMode,
    private readonly approver: Approver,
    private readonly emit: (event: AgentEvent) => void,
  ) {}

  /** Decides, asks when the policy says so, remembers "always", and reports the outcome as an event. */
  async approve(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    let decision: ApprovalDecision = decideApproval(this.mode, request);
    if (decision === 'ask' && this.always.has(alwaysKey(request))) decision = 'auto';
    let answer: ApprovalAnswer;
    switch (decision) {
      case 'auto':
        answer = { answer: 'yes' };
        break;
      case 'reject':
        answer = { answer: 'no', reason: `Not allowed in approval mode "${this.mode}".` };
        break;
      case 'ask':
        answer = await this.ask(request, signal);
        if (answer.answer === 'always') this.always.add(alwaysKey(request));
        break;
      default:
        answer = decision satisfies never;
    }
    this.emit({ type: 'approval', request, decision, answer });
    return answer;
  }

  /** Forgets the "always" answers (a new approval mode starts clean). */
  reset(): void {
    this.always.clear();
  }

  private async ask(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    if (signal.aborted) return { answer: 'no', reason: 'The turn was cancelled.' };
    let onAbort!: () => void;
    const aborted = new Promise<ApprovalAnswer>((resolve) => {
      onAbort = () => resolve({ answer: 'no', reason: 'The turn was cancelled.' });
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([
        this.approver(request, signal).catch(
          (error: unknown): ApprovalAnswer => ({
            answer: 'no',
            reason: `The approval could not be asked (${(error as Error)?.message ?? String(error)}).`,
          }),
        ),
        aborted,
      ]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
