/**
 * Child process of `npm run bench -- startup`: opens an assist session the way the CLI does
 * (`openSession` with the default config but temperature 0, the embedded model at `--model`, sandbox `auto`, index
 * enabled) in the project `--project`, runs one trivial turn (or `--prompt TEXT`) until the first action, and reports
 * its timings and peak RSS to the parent over IPC. Run with `node --import tsx` via `fork`.
 */
import { readFileSync } from 'node:fs';
import { cpuMs, vmHwmBytes, type AssistStartupResult, type StartupMessage, type StepTrace } from './_startup-protocol.ts';

const startedAt = performance.now();

function send(message: StartupMessage): void {
  process.send?.(message);
}

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`_startup-assist: missing ${name}`);
  return value;
}

const peakRss = () => vmHwmBytes(readFileSync('/proc/self/status', 'utf8'));

/** The trivial prompt of the first turn. */
export const startupPrompt = 'Say hello in one short sentence.';

async function main(): Promise<void> {
  const modelPath = arg('--model');
  const root = arg('--project');
  send({ type: 'mark', name: 'started', at: startedAt });
  const [{ openSession }, { defaults }, { EmbeddedModel }] = await Promise.all([
    import('../src/agent/open-session.ts'),
    import('../src/config/schema.ts'),
    import('../src/model/embedded.ts'),
  ]);
  const importedAt = performance.now();
  send({ type: 'mark', name: 'imported', at: importedAt });

  const config = structuredClone(defaults);
  config.model.name = modelPath;
  // Greedy: every run produces the same first action, so the raw anchor can generate the same length.
  config.model.temperature = 0;
  if (process.argv.includes('--no-index')) config.index.enabled = false;
  const turn = new AbortController();
  const at = { index: NaN, action: NaN, actionCpu: NaN, threads: NaN };
  let indexStatus = 'pending';
  let indexFiles = 0;
  let firstStep: AssistStartupResult['firstStep'] | undefined;
  const steps: StepTrace[] = [];
  const current = () => steps[steps.length - 1];
  const openStartAt = performance.now();
  const session = await openSession({
    root,
    config,
    approver: async () => ({ answer: 'no', reason: 'startup bench: nothing is approved' }),
    onEvent: (event) => {
      if (firstStep && event.type !== 'index') return;
      switch (event.type) {
        case 'step':
          steps.push({ step: event.step, startAt: performance.now(), contextAt: NaN, promptTokens: NaN, firstTokenAt: NaN, endAt: NaN, outcome: 'pending' });
          break;
        case 'context':
          if (current()) Object.assign(current(), { contextAt: performance.now(), promptTokens: event.promptTokens });
          break;
        case 'token':
          if (current() && Number.isNaN(current().firstTokenAt)) current().firstTokenAt = performance.now();
          break;
        case 'invalid_action':
          if (current()) Object.assign(current(), { endAt: performance.now(), outcome: `invalid: ${event.message}` });
          break;
        case 'action':
          at.action = performance.now();
          at.actionCpu = cpuMs();
          if (session.model instanceof EmbeddedModel) at.threads = session.model.threads;
          if (current()) Object.assign(current(), { endAt: at.action, outcome: event.action.tool });
          firstStep = {
            tool: event.action.tool,
            totalMs: event.timings.totalMs,
            firstTokenMs: event.timings.firstTokenMs,
            promptTokens: event.usage.promptTokens,
            completionTokens: event.usage.completionTokens,
            cachedTokens: event.usage.cachedTokens,
          };
          send({ type: 'mark', name: 'ready', at: at.action });
          turn.abort();
          break;
        case 'index':
          if (event.status !== 'progress') {
            at.index = performance.now();
            indexStatus = event.status + (event.message ? `: ${event.message}` : '');
            indexFiles = event.total;
          }
          break;
        default:
          break;
      }
    },
  });
  const openEndAt = performance.now();
  send({ type: 'mark', name: 'opened', at: openEndAt });
  try {
    const turnStartAt = performance.now();
    const promptAt = process.argv.indexOf('--prompt');
    const result = await session.agent.runTurn(promptAt >= 0 ? process.argv[promptAt + 1] : startupPrompt, turn.signal);
    if (!firstStep) throw new Error(`the first turn ended without an action: ${result.status}: ${result.text}`);
    const peakRssAtReadyBytes = peakRss();
    await session.indexReady;
    const out: AssistStartupResult = {
      type: 'result',
      kind: 'assist',
      model: session.model.info.name,
      contextSize: session.model.info.contextSize,
      threads: at.threads,
      sandboxReason: session.sandboxReason,
      loadMs: session.model.info.loadMs ?? NaN,
      openStartAt,
      openEndAt,
      importedAt,
      turnStartAt,
      actionAt: at.action,
      readyCpuMs: at.actionCpu,
      steps,
      firstStep,
      indexAt: at.index,
      indexStatus,
      indexFiles,
      peakRssAtReadyBytes,
      peakRssBytes: peakRss(),
    };
    send(out);
  } finally {
    await session.dispose();
  }
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    send({ type: 'error', message: (error as Error)?.stack ?? String(error) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
