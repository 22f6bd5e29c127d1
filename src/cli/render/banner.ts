import chalk from 'chalk';
import type { ModelInfo } from '../../model/language-model.ts';
import type { SandboxKind } from '../../sandbox/sandbox.ts';
import type { ApprovalMode } from '../../config/schema.ts';
import { serverText } from './model-line.ts';

/** What the session banner shows. */
export interface BannerInfo {
  root: string;
  sessionId: string;
  resumed: boolean;
  model: ModelInfo;
  /** Absent when no sandbox is available. */
  sandbox?: SandboxKind;
  sandboxReason: string;
  approvalMode: ApprovalMode;
  maxAttempts: number;
  maxSteps: number;
  /** `ready (N files)`, `building…`, `disabled`, … */
  indexStatus: string;
  /** In a git repository: the branch and whether the tree is dirty, or why git cannot be used. Absent outside a repository. */
  git?: { summary: string } | { problem: string };
}

/** The short banner printed when a session starts. */
export function formatBanner(info: BannerInfo): string {
  const label = (text: string) => chalk.dim(text.padEnd(9));
  const context = `${info.model.contextSize.toLocaleString('en-US')} tokens`;
  const sandbox = info.sandbox
    ? info.sandbox === 'none'
      ? chalk.yellow(`none (runs on this machine, unsandboxed) - ${info.sandboxReason}`)
      : info.sandboxReason.startsWith(info.sandbox)
        ? info.sandboxReason
        : `${info.sandbox}${info.sandboxReason ? chalk.dim(` - ${info.sandboxReason}`) : ''}`
    : chalk.yellow(`unavailable - ${info.sandboxReason}`);
  const lines = [
    `${chalk.bold('assist')} ${chalk.dim(`· ${info.root}`)}`,
    `${label('model')}${info.model.name} ${chalk.dim(`(${info.model.backend}, context ${context})`)}`,
    ...(info.model.server ? [`${label('server')}${info.model.server.contextAssumed ? chalk.yellow(serverText(info.model)) : serverText(info.model)}`] : []),
    `${label('sandbox')}${sandbox}`,
    `${label('approval')}${info.approvalMode} ${chalk.dim(`· max ${info.maxAttempts} attempts, ${info.maxSteps} steps per turn`)}`,
    `${label('index')}${info.indexStatus}`,
    ...(info.git ? [`${label('git')}${'summary' in info.git ? info.git.summary : chalk.yellow(`unavailable - ${info.git.problem}`)}`] : []),
    `${label('session')}${info.sessionId}${info.resumed ? chalk.dim(' (resumed)') : ''}`,
    chalk.dim('Type a task or a question. /help lists commands; Ctrl-C cancels a turn; /exit or Ctrl-C twice quits.'),
  ];
  return lines.join('\n') + '\n';
}
