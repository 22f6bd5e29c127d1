import type { ApprovalMode } from '../config/schema.ts';

/** One file of a proposed change set. `before`/`after` are `null` for a created/deleted file. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
  /** Unified diff of before → after, uncoloured. */
  diff: string;
}

/**
 * What the user is asked to approve; rendered by the CLI, decided by `decideApproval`.
 * `read-secret`: a tool wants to read a file that looks like it holds secrets; `reason` says why
 * it looks so (".env* files hold environment variables, often API keys").
 * `mcp`: a call to a tool of an MCP server from the user's config (a process on this machine,
 * outside the sandbox); `readOnly` when the server marks the tool read-only (its own claim).
 */
export type ApprovalRequest =
  | { kind: 'edit'; changes: FileChange[] }
  | { kind: 'exec'; command: string; sandbox: 'docker' | 'bwrap' | 'none' }
  | { kind: 'read-secret'; path: string; reason: string }
  | { kind: 'mcp'; server: string; tool: string; args: Record<string, unknown>; readOnly: boolean };

/**
 * The user's answer. `no` carries a reason for the model. `edit` carries the user's own text
 * for each path they edited in $EDITOR. For multi-file change sets, `yes` and `edit` may carry the
 * subset of paths approved (file-by-file approval); absent means all.
 */
export type ApprovalAnswer =
  | { answer: 'yes'; paths?: string[] }
  | { answer: 'no'; reason: string }
  | { answer: 'always' }
  | { answer: 'edit'; edited: Record<string, string>; paths?: string[] };

/** Whether to ask: a pure function of mode × request × sandbox. */
export type ApprovalDecision = 'auto' | 'ask' | 'reject';

/**
 * `suggest` asks for every edit and every run; `auto-edit` applies edits and runs sandboxed code
 * without asking but asks before running on the host (the `none` sandbox, which the user must
 * have chosen explicitly); `full-auto` asks for nothing. Reading a file that looks like a secret
 * is asked in every mode: what the model reads may be sent on by what it writes or runs next.
 *
 * An MCP tool call runs in a server process on the host, so it is decided like a run on the host:
 * asked in `suggest` and `auto-edit`, automatic in `full-auto`. A tool the server marks read-only
 * goes ahead in `auto-edit` as reads do; `suggest` still asks, because read-only is the server's
 * own claim and what it reads (a web page, a database) is not the project's files.
 */
export function decideApproval(mode: ApprovalMode, request: ApprovalRequest): ApprovalDecision {
  if (request.kind === 'read-secret') return 'ask';
  switch (mode) {
    case 'suggest':
      return 'ask';
    case 'auto-edit':
      if (request.kind === 'edit') return 'auto';
      if (request.kind === 'mcp') return request.readOnly ? 'auto' : 'ask';
      return request.sandbox === 'none' ? 'ask' : 'auto';
    case 'full-auto':
      return 'auto';
    default:
      return mode satisfies never;
  }
}

/**
 * The answer to a `read-secret` request when no person can be asked (`assist run`, `assist ask`,
 * eval): no, with the reason the model reads.
 */
export function refuseSecretWithoutPerson(request: Extract<ApprovalRequest, { kind: 'read-secret' }>, who: string): ApprovalAnswer {
  return {
    answer: 'no',
    reason:
      `${request.path} looks like it holds secrets (${request.reason}), and ${who} has no person to ask, so it is not read. Work without it, or ` +
      `tell the user what you need from it.`,
  };
}
