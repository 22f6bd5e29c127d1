/**
 * The interactive session's flags and the config layer they override: shared by the command that
 * declares them (commands/session.ts) and the session that runs (commands/interactive-session.ts),
 * so neither imports the other.
 */
import type { DeepPartial } from '../config/load.ts';
import type { ApprovalMode, Config } from '../config/schema.ts';

/** Flags of the interactive session. */
export interface SessionCommandOptions {
  resume?: string | true;
  mode?: ApprovalMode;
  maxAttempts?: number;
  maxSteps?: number;
  model?: string;
  /** Accept the first run's offer to download a model without asking. */
  yes?: boolean;
}

/** Turns the flags into the config layer they override. */
export function sessionFlags(options: SessionCommandOptions, backend: Config['model']['backend']): DeepPartial<Config> {
  const flags: DeepPartial<Config> = {};
  const agent: DeepPartial<Config['agent']> = {};
  if (options.mode) agent.approvalMode = options.mode;
  if (options.maxAttempts !== undefined) agent.maxAttempts = options.maxAttempts;
  if (options.maxSteps !== undefined) agent.maxSteps = options.maxSteps;
  if (Object.keys(agent).length) flags.agent = agent;
  if (options.model !== undefined) {
    if (backend === 'openai') flags.openai = { model: options.model };
    else flags.model = { name: options.model };
  }
  return flags;
}
