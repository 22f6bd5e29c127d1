/**
 * Helpers of the run tool tests: a real sandbox (Docker, else bubblewrap; under CI Docker must
 * work) and a ToolContext over a real workspace with a recording approver.
 */
import type { ApprovalAnswer, ApprovalRequest } from '../../src/workspace/approval.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import type { ToolContext } from '../../tools/tool.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import { DockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { BwrapSandbox } from '../../src/sandbox/bwrap-sandbox.ts';
import { bwrapUnavailable, dockerUnavailable } from '../sandbox/helpers.ts';

/** A real sandbox for tool tests, or the reason none can run here (never under CI). */
export async function realSandbox(config: Config): Promise<{ sandbox?: Sandbox; why?: string }> {
  const noDocker = await dockerUnavailable();
  if (!noDocker) return { sandbox: new DockerSandbox({ config: config.sandbox, sessionId: `tool-test-${process.pid}` }) };
  const noBwrap = await bwrapUnavailable();
  if (!noBwrap) return { sandbox: new BwrapSandbox({ config: config.sandbox }) };
  return { why: `${noDocker}; ${noBwrap}` };
}

/** A ToolContext on `root`; `answers` are given to approval requests in order (default yes). */
export function toolContext(
  root: string,
  config: Config,
  sandbox: Sandbox | undefined,
  answers: ApprovalAnswer[] = [],
  signal = new AbortController().signal,
): ToolContext & { requests: ApprovalRequest[] } {
  const requests: ApprovalRequest[] = [];
  return {
    root,
    config,
    workspace: openWorkspace(root),
    sandbox,
    signal,
    requests,
    approve: async (request) => {
      requests.push(request);
      return answers.shift() ?? { answer: 'yes' };
    },
  };
}
