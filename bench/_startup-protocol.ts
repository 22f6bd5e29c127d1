/**
 * What the startup bench's child processes report to the parent over IPC (`process.send`). Times
 * are the child's `performance.now()` (milliseconds since its own process started); the parent
 * also stamps each message with its own clock when it arrives.
 */

/** Progress: a named point reached, at child time `at`. */
export interface StartupMark {
  type: 'mark';
  name: string;
  at: number;
}

/** The result of one `openSession` child (bench/_startup-assist.ts). */
export interface AssistStartupResult {
  type: 'result';
  kind: 'assist';
  model: string;
  contextSize: number;
  /** Threads the first step used (assist picks them per step from the machine's load). */
  threads: number;
  sandboxReason: string;
  /** `model.info.loadMs` as assist reports it. */
  loadMs: number;
  /** Child time when `openSession` was called and when it returned. */
  openStartAt: number;
  openEndAt: number;
  /** Child time when the modules (tsx, open-session and all it imports) were loaded. */
  importedAt: number;
  /** Child time when `runTurn` was called and when the first action arrived. */
  turnStartAt: number;
  actionAt: number;
  /** Every model step up to the first action (more than one when the model's first outputs were invalid). */
  steps: StepTrace[];
  /** The first action's StepResult figures. */
  firstStep: { tool: string; totalMs: number; firstTokenMs: number; promptTokens: number; completionTokens: number; cachedTokens: number };
  /** Child time when the background index build settled, and how. */
  indexAt: number;
  indexStatus: string;
  indexFiles: number;
  /** CPU time (user + system, all threads) of the process at the first action, ms. */
  readyCpuMs: number;
  /** VmHWM (peak resident set) in bytes right after the first action, and at the end (index settled). */
  peakRssAtReadyBytes: number;
  peakRssBytes: number;
}

/** One agent step as seen through its events (child times). */
export interface StepTrace {
  step: number;
  /** The `step` event, the `context` event (with the prompt size), the first `token`, the `action` or `invalid_action`. */
  startAt: number;
  contextAt: number;
  promptTokens: number;
  firstTokenAt: number;
  endAt: number;
  /** The tool of the action, or `invalid: MESSAGE`. */
  outcome: string;
}

/** The result of one raw-engine child (bench/_startup-raw.mjs). */
export interface RawStartupResult {
  type: 'result';
  kind: 'raw';
  importedAt: number;
  /** getLlama + loadModel + createContext. */
  loadMs: number;
  loadedAt: number;
  firstTokenAt: number;
  doneAt: number;
  /** CPU time (user + system, all threads) of the process when the generation was done, ms. */
  readyCpuMs: number;
  /** `context.currentThreads` after the generation. */
  threads: number;
  promptTokens: number;
  completionTokens: number;
  peakRssBytes: number;
}

export type StartupMessage = StartupMark | AssistStartupResult | RawStartupResult | { type: 'error'; message: string };

/** CPU time of this process so far (user + system, all threads), ms. */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** VmHWM of a `/proc/PID/status` text, in bytes (0 when absent). */
export function vmHwmBytes(status: string): number {
  const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}
