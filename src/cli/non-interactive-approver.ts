/**
 * Approval without a person: the policy of `assist run` and `assist ask`. Runs inside a real
 * sandbox (docker, bwrap) go ahead; edits and runs on the host are refused with a reason the model
 * reads, unless the user allowed them with a flag (which changes the approval mode, so those
 * requests never reach this approver). MCP tool calls, which only a person may allow below
 * full-auto, are refused the same way. Reading a file that looks like a secret is always refused:
 * it is asked in every mode, and there is no one to ask.
 */
import type { Approver } from '../agent/events.ts';
import { refuseSecretWithoutPerson, type ApprovalAnswer, type ApprovalRequest } from '../workspace/approval.ts';

export interface NonInteractivePolicy {
  /** The command the policy is for, named in refusals. */
  command: 'run' | 'ask';
  /** Runs in the docker or bwrap sandbox may go ahead. */
  allowSandboxedRuns: boolean;
}

/** The answer the policy gives to one request. */
export function nonInteractiveAnswer(policy: NonInteractivePolicy, request: ApprovalRequest): ApprovalAnswer {
  if (request.kind === 'read-secret') return refuseSecretWithoutPerson(request, `\`assist ${policy.command}\``);
  if (request.kind === 'mcp') {
    return {
      answer: 'no',
      reason:
        `\`assist ${policy.command}\` has no person to ask before calling ${request.tool} of the MCP server "${request.server}" (it runs on this ` +
        `machine, outside the sandbox), so it was not called. ` +
        (policy.command === 'ask' ? 'Answer from what you can read.' : 'Do the task without it, or say in your answer what you would have called.'),
    };
  }
  if (policy.command === 'ask') {
    return { answer: 'no', reason: '`assist ask` is read-only: it cannot change files or run code. Answer from what you can read.' };
  }
  switch (request.kind) {
    case 'edit':
      return {
        answer: 'no',
        reason:
          '`assist run` was started without --auto-edit or --full-auto, so it may not change project files. ' +
          'Do not edit files: put the whole program in run_in_sandbox (code + language) instead.',
      };
    case 'exec':
      if (request.sandbox === 'none') {
        return { answer: 'no', reason: 'Running on the host without a sandbox needs --full-auto. Tell the user what you would run instead.' };
      }
      return policy.allowSandboxedRuns ? { answer: 'yes' } : { answer: 'no', reason: 'Runs are not allowed in this session.' };
    default:
      return request satisfies never;
  }
}

/** An Approver that applies the non-interactive policy (never prompts, never blocks). */
export function nonInteractiveApprover(policy: NonInteractivePolicy): Approver {
  return async (request) => nonInteractiveAnswer(policy, request);
}
