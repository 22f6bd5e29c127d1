/**
 * How an eval run is set up from its flags, shared by `assist eval` and `npm run bench -- eval` so
 * both read the same flags the same way. The flags are a layer on top of the settings `assist`
 * itself loads (src/config/schema.ts defaults, then the user and project files for `assist eval`,
 * none for the bench), so a run uses what a user's session would unless a flag says otherwise.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type DeepPartial } from '../config/load.ts';
import { actionFormats, settings, type ActionFormatSetting, type Config } from '../config/schema.ts';
import { parseWholeNumber, wholeNumberRange } from '../config/whole-number.ts';
import { defaultTaskTimeoutMs } from './runner.ts';
import { taskKinds, type TaskKind, type TaskSelection } from './suite.ts';

/** The run flags as given on a command line (strings), by their camel-cased names. */
export interface EvalFlagValues {
  contextSize?: string;
  maxTokens?: string;
  maxSteps?: string;
  maxAttempts?: string;
  tasks?: string;
  kinds?: string;
  limit?: string;
  /** Runs of each task (the model samples: one run per task cannot tell a change from luck). */
  repeat?: string;
  /** Seconds. */
  taskTimeout?: string;
  /** `text` or `json`: how the model writes actions (agent.actionFormat), for an A/B of the two protocols. */
  actionFormat?: string;
}

/** What the flags ask for: a settings layer, which tasks, and each task's time limit. */
export interface EvalPlan {
  /** The flag layer of the settings: model.contextSize, model.maxTokens, agent.maxSteps, agent.maxAttempts. */
  overrides: DeepPartial<Config>;
  selection: TaskSelection;
  taskTimeoutMs: number;
}

/** A flag with a value that cannot be used; the message names the flag and what it accepts. */
export class EvalFlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalFlagError';
  }
}

function wholeNumber(flag: string, value: string | undefined, range: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = parseWholeNumber(value, range.max, range.min ?? 1);
  if (n === undefined) throw new EvalFlagError(`${flag} must be ${wholeNumberRange(range.max, range.min ?? 1)}, not "${value}".`);
  return n;
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

/** Reads the run flags. `--context-size 0` means the model's own context (capped to memory). */
export function parseEvalFlags(values: EvalFlagValues): EvalPlan {
  const contextSize = wholeNumber('--context-size', values.contextSize, settings.model.contextSize);
  const maxTokens = wholeNumber('--max-tokens', values.maxTokens, settings.model.maxTokens);
  const maxSteps = wholeNumber('--max-steps', values.maxSteps, settings.agent.maxSteps);
  const maxAttempts = wholeNumber('--max-attempts', values.maxAttempts, settings.agent.maxAttempts);
  const limit = wholeNumber('--limit', values.limit);
  const repeat = wholeNumber('--repeat', values.repeat, { max: 100 });
  const taskTimeoutSeconds = wholeNumber('--task-timeout', values.taskTimeout, { max: 24 * 60 * 60 });
  const kinds = list(values.kinds);
  const unknownKinds = kinds?.filter((k) => !(taskKinds as readonly string[]).includes(k)) ?? [];
  if (unknownKinds.length) throw new EvalFlagError(`--kinds: unknown kind(s) ${unknownKinds.join(', ')}. Known: ${taskKinds.join(', ')}.`);
  const ids = list(values.tasks);
  if (values.actionFormat !== undefined && !(actionFormats as readonly string[]).includes(values.actionFormat)) {
    throw new EvalFlagError(`--action-format must be one of ${actionFormats.join(', ')}, not "${values.actionFormat}".`);
  }
  const overrides: DeepPartial<Config> = {};
  if (contextSize !== undefined || maxTokens !== undefined)
    overrides.model = { ...(contextSize !== undefined ? { contextSize } : {}), ...(maxTokens !== undefined ? { maxTokens } : {}) };
  if (maxSteps !== undefined || maxAttempts !== undefined || values.actionFormat !== undefined) {
    overrides.agent = {
      ...(maxSteps !== undefined ? { maxSteps } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      ...(values.actionFormat !== undefined ? { actionFormat: values.actionFormat as ActionFormatSetting } : {}),
    };
  }
  return {
    overrides,
    selection: {
      ...(ids ? { ids } : {}),
      ...(kinds ? { kinds: kinds as TaskKind[] } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(repeat !== undefined ? { repeat } : {}),
    },
    taskTimeoutMs: taskTimeoutSeconds !== undefined ? taskTimeoutSeconds * 1000 : defaultTaskTimeoutMs,
  };
}

/** The eval bench's whole setup. */
export interface BenchEvalSettings extends EvalPlan {
  config: Config;
}

const benchFlags = ['context-size', 'max-tokens', 'max-steps', 'max-attempts', 'tasks', 'kinds', 'limit', 'repeat', 'task-timeout', 'action-format'] as const;

/**
 * The eval bench's settings from its arguments (`--max-steps 10 --kinds fix ...`): what `assist`
 * would load on this machine with no user or project settings file (the schema's defaults, through
 * the same loader), the embedded engine on `modelPath`, and the flags on top.
 */
export function benchEvalSettings(args: string[], modelPath: string): BenchEvalSettings {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: Object.fromEntries(benchFlags.map((f) => [f, { type: 'string' }])), strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new EvalFlagError(`${(error as Error).message}. Flags: ${benchFlags.map((f) => `--${f}`).join(', ')}.`);
  }
  const flag = (name: (typeof benchFlags)[number]) => values[name] as string | undefined;
  const plan = parseEvalFlags({
    contextSize: flag('context-size'),
    maxTokens: flag('max-tokens'),
    maxSteps: flag('max-steps'),
    maxAttempts: flag('max-attempts'),
    tasks: flag('tasks'),
    kinds: flag('kinds'),
    limit: flag('limit'),
    repeat: flag('repeat'),
    taskTimeout: flag('task-timeout'),
    actionFormat: flag('action-format'),
  });
  // A folder that does not exist holds neither settings file: the loader keeps the defaults.
  const nowhere = path.join(os.tmpdir(), `assist-no-settings-${process.pid}-${Date.now()}`);
  const { config } = loadConfig({
    root: nowhere,
    userConfigPath: path.join(nowhere, 'config.json'),
    flags: { ...plan.overrides, model: { ...plan.overrides.model, backend: 'embedded', name: modelPath } },
  });
  return { ...plan, config };
}
