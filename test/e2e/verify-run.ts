/**
 * What the end-to-end tier holds a tiny real model to, checked on a finished `assist eval` run:
 * every step a valid action, every task ends within its bounds, and the artifacts (results.json,
 * per-task session log, check output, finished files) are complete and agree with each other.
 * The pass rate is NOT checked here: it is a figure to report.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EvalRun } from '../../src/eval/runner.ts';

/** Whether the session log shows a change the intake made by code completion (src/agent/completion/infill-repair.ts). */
function repairedByInfill(logFile: string): boolean {
  if (!existsSync(logFile)) return false;
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .some((line) => line.includes('"type":"intake"') && line.includes('by code completion') && line.includes('"edit":{"applied":['));
}

/** Problems found (empty when the run holds up). */
export function verifyEvalRun(run: EvalRun, expectedTasks: string[]): string[] {
  const problems: string[] = [];
  const ids = run.results.map((r) => r.id);
  if (JSON.stringify(ids) !== JSON.stringify(expectedTasks)) problems.push(`ran tasks [${ids.join(', ')}], expected [${expectedTasks.join(', ')}]`);
  if (!existsSync(run.resultsFile)) problems.push(`missing ${run.resultsFile}`);
  else {
    const stored = JSON.parse(readFileSync(run.resultsFile, 'utf8')) as EvalRun;
    if (stored.results.length !== run.results.length) problems.push('results.json disagrees with the printed results');
  }
  if (run.summary.validActionRate !== 1) problems.push(`validActionRate is ${run.summary.validActionRate}, must be 1`);
  for (const r of run.results) {
    const where = `${r.id}:`;
    if (r.status === 'error') problems.push(`${where} the task could not run: ${r.reason}`);
    // (a fix the intake's code completion made the tests pass with ends the turn before any step: the model wrote it, as an infill)
    if (r.actions === 0 && r.cutOffSteps.length === 0 && !repairedByInfill(path.join(run.outDir, r.sessionLog)))
      problems.push(`${where} no model step was taken`);
    if (!r.allValidActions) problems.push(`${where} invalid actions: ${r.invalidActions.join(' | ') || `${r.validActions}/${r.actions} valid`}`);
    if (!r.withinBounds)
      problems.push(`${where} exceeded its bounds (${r.steps}/${r.maxSteps} steps, ${r.failedRuns}/${r.maxAttempts} failed runs, status ${r.status})`);
    if (r.steps > r.maxSteps) problems.push(`${where} ${r.steps} steps > maxSteps ${r.maxSteps}`);
    if (!r.passed && !r.reason) problems.push(`${where} failed without a reason`);
    const taskDir = path.join(run.outDir, 'tasks', r.id);
    for (const file of ['session.jsonl', 'check.txt']) {
      if (!existsSync(path.join(taskDir, file))) problems.push(`${where} missing ${file}`);
    }
    if (!existsSync(path.join(taskDir, 'workspace')) || !statSync(path.join(taskDir, 'workspace')).isDirectory())
      problems.push(`${where} missing workspace/ copy`);
    const logFile = path.join(run.outDir, r.sessionLog);
    if (!existsSync(logFile)) continue;
    const entries = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line, i) => {
        try {
          return JSON.parse(line) as { type?: string; steps?: number; status?: string };
        } catch {
          problems.push(`${where} session log line ${i + 1} is not JSON`);
          return {};
        }
      });
    const count = (type: string) => entries.filter((e) => e.type === type).length;
    if (count('session') !== 1) problems.push(`${where} session log has ${count('session')} session headers`);
    if (count('user') !== 1) problems.push(`${where} session log has ${count('user')} user entries`);
    if (count('action') !== r.actions) problems.push(`${where} session log has ${count('action')} actions, results say ${r.actions}`);
    const results = entries.filter((e) => e.type === 'result');
    if (results.length !== 1) problems.push(`${where} session log has ${results.length} turn results`);
    else if (results[0].steps !== r.steps || results[0].status !== r.status)
      problems.push(`${where} session log result (${results[0].status}, ${results[0].steps} steps) disagrees with results.json (${r.status}, ${r.steps})`);
  }
  return problems;
}
