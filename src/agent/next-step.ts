/**
 * One line after an observation saying what usually comes next (write -> run -> fix -> answer).
 * Small models follow the system prompt's rules loosely but the last thing they read closely:
 * measured on Qwen2.5-Coder-0.5B, without these lines the model rewrote the same file until the
 * repeat guard stopped it and never ran anything; the rules in the system prompt alone did not
 * make it run the code.
 */
import type { ToolResult } from '../../tools/tool.ts';

const editTools: ReadonlySet<string> = new Set(['write_file', 'edit_file', 'edit_files', 'delete_file']);
const runTools: ReadonlySet<string> = new Set(['run_in_sandbox', 'run_tests']);

/** `offered`: the names of the tools the model may call this turn. Empty when there is nothing useful to add. */
export function nextStepHint(tool: string, result: ToolResult, offered: ReadonlySet<string>): string {
  const canRun = offered.has('run_tests') || offered.has('run_in_sandbox');
  const runWith = [offered.has('run_tests') ? 'run_tests' : '', offered.has('run_in_sandbox') ? 'run_in_sandbox' : ''].filter(Boolean).join(' or ');

  if (result.run) {
    const passed = result.run.exitCode === 0 && !result.run.timedOut;
    if (passed) return 'Next: if this output shows the task is done, call answer with a short summary; otherwise fix the code and run it again.';
    return `Next: read the error above, fix its cause (read_file, then edit_file or write_file), then run it again.`;
  }
  if (result.error) {
    switch (result.error.code) {
      case 'no_match':
      case 'ambiguous':
        return 'Next: read_file that file and copy the exact lines to change into "find" (whole lines, enough of them to match one place).';
      case 'stale':
        return 'Next: read_file the file again, then redo the edit on its current text.';
      default:
        return '';
    }
  }
  if (editTools.has(tool)) {
    const unchanged = result.forModel.startsWith('No change');
    if (!canRun) return unchanged ? 'Next: the file already has this content; if the task is done, call answer.' : '';
    return unchanged
      ? `Next: the file already has this content. Check it with ${runWith}, or call answer if the task is done.`
      : `Next: check the change with ${runWith} before you answer.`;
  }
  if (runTools.has(tool)) return '';
  return '';
}
