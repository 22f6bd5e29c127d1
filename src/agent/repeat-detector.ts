/**
 * Catches a model stuck in a loop: the same failing action (same tool, same args) coming back
 * with the same result. The first repeat earns a warning in the observation; the next one stops
 * the turn.
 */
import type { Action } from '../model/language-model.ts';
import type { ToolResult } from '../../tools/tool.ts';

/** What to do about an action's result. */
export type RepeatVerdict = 'ok' | 'warn' | 'stop';

/** Whether a result counts as a failure (a tool error, or a run that did not pass). */
export function isFailure(result: ToolResult): boolean {
  if (result.error) return true;
  return result.run !== undefined && (result.run.exitCode !== 0 || result.run.timedOut);
}

export class RepeatDetector {
  private readonly seen = new Map<string, number>();

  /** Records one executed action and its result; returns what to do. Successful actions never trip it. */
  check(action: Action, result: ToolResult): RepeatVerdict {
    if (!isFailure(result)) return 'ok';
    const outcome = result.run
      ? JSON.stringify([result.run.exitCode, result.run.timedOut, result.run.stdout, result.run.stderr])
      : result.forModel;
    const key = JSON.stringify([action.tool, stableStringify(action.args), outcome]);
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    if (count >= 3) return 'stop';
    return count === 2 ? 'warn' : 'ok';
  }

  reset(): void {
    this.seen.clear();
  }
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same action. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** The note added to an observation when an action repeats a failure. */
export const repeatWarning =
  'You already ran exactly this action and got exactly this result. Do not repeat it: change the code, the arguments, or your approach. Repeating it again ends the turn.';
