/**
 * Catches a model stuck in a loop: the same action (same tool, same args) coming back with the
 * same result. Nothing can come of that: a failure fails again, a look-up finds the same, a write
 * changes nothing. The first repeat earns a note in the observation; the next one stops the turn.
 * A passing run never trips it (running a passing check again is harmless; the step bound holds).
 */
import type { Action } from '../model/language-model.ts';
import { toolForRole, type Tool, type ToolEffect, type ToolResult } from '../../tools/tool.ts';
import type { ActionProtocol } from '../model/action-protocol.ts';
import { writeStart } from './prompts.ts';
import { runPassed } from './attempts.ts';

/** What to do about an action's result. */
export type RepeatVerdict = 'ok' | 'warn' | 'stop';

/** Whether a result counts as a failure (a tool error, or a run that did not pass). */
export function isFailure(result: ToolResult): boolean {
  if (result.error) return true;
  return result.run !== undefined && !runPassed(result.run);
}

export class RepeatDetector {
  private readonly seen = new Map<string, number>();
  /** How many times the action last checked has come back with the same result (1: the first time). */
  lastCount = 0;

  /**
   * Records one executed action and its result; returns what to do. Different results are progress
   * and never trip it. A repeated look (a `read` tool) only ever earns a reminder: the turn ends on
   * repeated edits and runs, and the step bound holds the rest. A run that passes is progress, except
   * with `passingToo` (a question: the 0.5B model ran the same passing snippet 26 times, printing
   * `('', '')` each time, until the step limit).
   */
  check(action: Action, result: ToolResult, effect?: ToolEffect, passingToo = false): RepeatVerdict {
    if (result.run && !isFailure(result) && !passingToo) return 'ok';
    const outcome = result.run
      ? JSON.stringify([result.run.exitCode, result.run.timedOut, runFingerprint(result.run.stdout), runFingerprint(result.run.stderr)])
      : result.forModel;
    const key = JSON.stringify([action.tool, stableStringify(action.args), outcome]);
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    this.lastCount = count;
    if (count >= 3) return effect === 'read' ? 'warn' : 'stop';
    return count === 2 ? 'warn' : 'ok';
  }

  reset(): void {
    this.seen.clear();
  }
}

/**
 * The tools the step after a repeated failing edit or run leaves out: that tool, and for an edit
 * every edit tool (the same refused change would come back through the sibling). A look-up is
 * benched only when it came back a third time (`count`) despite the reminder, and then every
 * look-up tool goes for a step (seen: the same read_file range 14 times in a row, each with its
 * reminder, until the task's time ran out). Never every tool.
 */
export function benchedAfterRepeat(tool: Tool<any> | undefined, offered: ReadonlyArray<Tool<any>>, count = 2): Set<string> {
  // a look-up repeated once only earns a reminder (it may be the way to the file to create)
  if (!tool || (tool.effect === 'read' && count < 3)) return new Set();
  const siblings = tool.effect === 'edit' || tool.effect === 'read';
  const benched = new Set(siblings ? offered.filter((t) => t.effect === tool.effect).map((t) => t.name) : [tool.name]);
  return offered.some((t) => !benched.has(t.name)) ? benched : new Set();
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same action. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The note added to an observation when an action repeats a failure (a run, a test, an edit). */
export const repeatWarning =
  'You already ran exactly this action and got exactly this result. Do not repeat it: change the code, the arguments, or your approach. Repeating it ' +
  'again ends the turn.';

/**
 * The note for a repeated action. A repeated failure gets `repeatWarning`; anything else (a
 * look-up that finds nothing new, a write that changes nothing) is told plainly what to do
 * instead, since small models otherwise keep searching for a file the task asks them to create. `missingFiles` (files
 * the request names that do not exist yet) adds
 * the start of a concrete action to continue.
 */
export function repeatAdvice(
  tool: Tool<any> | undefined,
  failed: boolean,
  offered: ReadonlyArray<Tool<any>>,
  missingFiles: readonly string[] = [],
  protocol?: ActionProtocol,
): string {
  const lines =
    tool?.effect === 'read'
      ? [
          `You already called ${tool.name} with these arguments and got this same result; it is above. Do not look again: use what it shows. Do ` +
            `something else now:`,
        ]
      : failed
        ? [repeatWarning]
        : [
            `You already called ${tool?.name ?? 'that tool'} with these arguments and got this same result. Calling it again ends the turn. Do ` +
              `something else now:`,
          ];
  const file = missingFiles[0];
  const create = toolForRole(offered, 'createFile')?.tool.name;
  if (file && create) {
    lines.push(
      `- ${missingFiles.join(', ')} ${missingFiles.length > 1 ? 'do' : 'does'} not exist yet. Create ${file} with ${create}, putting the complete ` +
        `code the task asks for in "content":`,
      writeStart(offered, file, protocol),
    );
  } else if (!failed && tool?.effect === 'edit') {
    // a write that changed nothing: the file is already written, so the next step is a run
    const ways = [
      ...[toolForRole(offered, 'runCommand')].filter(Boolean).map((r) => `run it with ${r!.tool.name}`),
      ...[toolForRole(offered, 'runTests')].filter(Boolean).map((r) => `the tests with ${r!.tool.name}`),
    ];
    if (ways.length) lines.push(`- The file already has this content. Check it: ${ways.join(', or ')}.`);
  } else if (tool?.effect === 'read') {
    const edit = toolForRole(offered, 'editFile')?.tool.name;
    const tests = toolForRole(offered, 'runTests')?.tool.name;
    if (edit) lines.push(`- To change a file you read, call ${edit} with lines copied from it.`);
    if (tests) lines.push(`- To see what fails, call ${tests}.`);
    if (create) lines.push(`- If the task asks you to create a file, call ${create} with its path and the complete content.`);
  } else if (!failed && create) {
    lines.push(`- If the task asks you to create a file, call ${create} with its path and the complete content.`);
  }
  if (!failed) lines.push('- If the task is done, or you know the answer, call answer.');
  return lines.join('\n');
}

/**
 * The sampling temperature for the step after a repeated action: at least `repeatTemperature`,
 * so a model that decodes (almost) greedily does not produce the identical action a third time.
 */
export function temperatureAfterRepeat(configured: number): number {
  return Math.max(configured, repeatTemperature);
}

/** The least temperature used for the step right after a repeated action. */
export const repeatTemperature = 0.7;

/** Run output with durations blanked ("in 0.05s", "(12 ms)", "0.4 seconds"), so two runs that failed the same way compare equal. */
export function withoutTimings(output: string): string {
  return output.replace(/\d+(?:\.\d+)?\s*(?:ms|µs|us|ns|s|sec|secs|seconds?|m|min)\b/g, '#');
}

/** A random seed as test runners print it: `--seed 28910`, "Randomized with seed 1234", `--randomly-seed=7`, `-test.shuffle 99`. */
const seedMark = /\b(?:seed|shuffle)\b\W{0,3}\d+/gi;

/**
 * What two runs that failed the same way share: the output without durations, rates ("7392.0132
 * runs/s") and random seeds, and, when a seed shows the runner shuffled the tests (minitest, RSpec,
 * pytest-randomly, go -shuffle), without the order of its lines and of a progress line's marks:
 * ruby-csv-line's model ran the unchanged tests four times, each in another order, each counted as
 * a new attempt and never seen as a repeat, until the attempts ran out.
 */
export function runFingerprint(output: string): string {
  const unseeded = output.replace(seedMark, 'seed #');
  const plain = withoutTimings(unseeded.replace(/\d+(?:\.\d+)?\s*[A-Za-z]+\/s\b/g, '#/s'));
  if (unseeded === output) return plain; // no seed: the order is the run's own
  return plain
    .split('\n')
    .map((line) => (/^[.FESN*]{2,}$/.test(line.trim()) ? [...line.trim()].sort().join('') : line))
    .sort()
    .join('\n');
}
