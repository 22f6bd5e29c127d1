/**
 * Parses many files. For a large amount of work (a cold index) the calling thread and
 * `threads - 1` worker threads take batches from one queue: the calling thread starts at once,
 * so the workers' start-up time is not lost, and a worker that fails only hands its batches back.
 * The queue hands out the largest files first and shrinks its batches as it drains, so that the
 * threads run out of work at about the same time (the cold index waits for the last one).
 * Small amounts of work (an incremental update) stay on the calling thread, in job order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { indexFile, type FileSymbols, type IndexJob } from './index-file.ts';
import type { ParseRequest, ParseResponse } from './parse-worker.ts';
import { bundledWorkerSource, parseWorkerSource } from './parse-worker-source.ts';

/** Options of `parseFiles`. */
export interface ParseFilesOptions {
  maxFileBytes: number;
  /** Threads in all, the calling one included; 0 = one per core, 1 = no workers. */
  threads?: number;
  /** Below this many bytes of work (default 2 MB), parse on the calling thread only. */
  minBytesForWorkers?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Tests: the calling thread does not parse, and a worker failure rejects instead of being absorbed. */
  workersOnly?: boolean;
}

/** Largest batch (bytes of source, files): few enough messages that their cost stays small. */
const batchBytes = 128 * 1024;
const batchFiles = 48;
/** Smallest batch (bytes of source) once the queue drains: a few milliseconds of parsing. */
const tailBatchBytes = 16 * 1024;

/** Indexes `jobs`; the results are in job order. Rejects only when `signal` aborts (or a worker fails with `workersOnly`). */
export async function parseFiles(jobs: IndexJob[], options: ParseFilesOptions): Promise<FileSymbols[]> {
  const parseable = jobs.filter((j) => j.lang && j.size <= options.maxFileBytes);
  const bytes = parseable.reduce((sum, j) => sum + j.size, 0);
  const wanted = options.threads && options.threads > 0 ? options.threads : availableParallelism();
  const threads = Math.min(wanted, Math.ceil(parseable.length / 8));
  const small = bytes < (options.minBytesForWorkers ?? 2 * 1024 * 1024);
  if (threads <= 1 || small) return parseQueue(jobs, 0, options);
  return parseQueue(jobs, options.workersOnly ? threads : threads - 1, options);
}

interface Batch {
  /** Where each job's result goes (its index in the caller's list). */
  slots: number[];
  jobs: IndexJob[];
}

/** Bytes a job costs to index (files that are not parsed cost next to nothing). */
function workOf(job: IndexJob, maxFileBytes: number): number {
  return job.lang && job.size <= maxFileBytes ? job.size : 0;
}

/**
 * Cuts batches from the jobs. With threads to balance, the largest files go first: a big file
 * taken last would keep one thread busy while the others wait.
 */
class JobQueue {
  private readonly order: number[];
  private next = 0;
  private remaining: number;
  /** Batches handed back by a failed worker, served first. */
  private readonly returned: Batch[] = [];

  constructor(
    private readonly jobs: IndexJob[],
    private readonly maxFileBytes: number,
    private readonly threads: number,
  ) {
    this.order = jobs.map((_, i) => i);
    if (threads > 1) this.order.sort((a, b) => workOf(jobs[b], maxFileBytes) - workOf(jobs[a], maxFileBytes) || a - b);
    this.remaining = jobs.reduce((sum, job) => sum + workOf(job, maxFileBytes), 0);
  }

  /** The next batch: about 1/(2 x threads) of the work left, within the bounds above; undefined when empty. */
  take(): Batch | undefined {
    const back = this.returned.pop();
    if (back) return back;
    if (this.next >= this.order.length) return undefined;
    const budget = this.threads > 1 ? Math.min(batchBytes, Math.max(tailBatchBytes, this.remaining / (2 * this.threads))) : batchBytes;
    const batch: Batch = { slots: [], jobs: [] };
    let bytes = 0;
    while (this.next < this.order.length && batch.jobs.length < batchFiles) {
      const slot = this.order[this.next];
      const work = workOf(this.jobs[slot], this.maxFileBytes);
      if (batch.jobs.length > 0 && bytes + work > budget) break;
      batch.slots.push(slot);
      batch.jobs.push(this.jobs[slot]);
      bytes += work;
      this.next++;
    }
    this.remaining -= bytes;
    return batch;
  }

  giveBack(batches: Iterable<Batch>): void {
    this.returned.push(...batches);
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Indexing was aborted.', 'AbortError');
}

async function parseQueue(jobs: IndexJob[], workerCount: number, options: ParseFilesOptions): Promise<FileSymbols[]> {
  const queue = new JobQueue(jobs, options.maxFileBytes, workerCount + (options.workersOnly ? 0 : 1));
  const results: FileSymbols[] = new Array(jobs.length);
  let done = 0;
  let failure: unknown;
  const workers: Worker[] = [];
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const store = (batch: Batch, symbols: FileSymbols[]): void => {
    symbols.forEach((r, i) => (results[batch.slots[i]] = r));
    done += symbols.length;
    options.onProgress?.(done, jobs.length);
    notify();
  };

  let closed = false;
  const spawn = (url: URL): void => {
    const worker = new Worker(url);
    workers.push(worker);
    const inFlight = new Map<number, Batch>();
    let nextId = 0;
    const send = (): void => {
      const batch = queue.take();
      if (!batch) return;
      const id = nextId++;
      inFlight.set(id, batch);
      worker.postMessage({ id, jobs: batch.jobs, maxFileBytes: options.maxFileBytes } satisfies ParseRequest);
    };
    const fail = (error: unknown): void => {
      if (!workers.includes(worker)) return;
      workers.splice(workers.indexOf(worker), 1);
      queue.giveBack(inFlight.values());
      inFlight.clear();
      void worker.terminate();
      if (options.workersOnly) failure ??= error;
      notify();
    };
    worker.on('message', (response: ParseResponse) => {
      const batch = inFlight.get(response.id);
      if (!batch) return;
      inFlight.delete(response.id);
      send();
      store(batch, response.results);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`A parse worker exited with code ${code}.`)));
    // two batches in flight per worker, so it never waits for this thread
    send();
    send();
  };
  if (workerCount > 0) {
    // bundled already (an earlier cold index in this process): start the workers before this thread's first batch
    const ready = bundledWorkerSource();
    if (ready) for (let w = 0; w < workerCount; w++) spawn(ready);
    else {
      void parseWorkerSource().then((url) => {
        if (closed) return;
        for (let w = 0; w < workerCount; w++) spawn(url);
      });
    }
  }

  options.signal?.addEventListener('abort', notify);
  try {
    let since = performance.now();
    while (done < jobs.length) {
      if (options.signal?.aborted) throw abortError(options.signal);
      if (failure) throw failure;
      const batch = options.workersOnly ? undefined : queue.take();
      if (batch) {
        store(
          batch,
          batch.jobs.map((job) => indexFile(job, options.maxFileBytes)),
        );
        if (workers.length === 0 && performance.now() - since < 50) continue;
        since = performance.now();
        // let worker answers and abort signals in
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
    options.onProgress?.(jobs.length, jobs.length);
    return results;
  } finally {
    closed = true;
    options.signal?.removeEventListener('abort', notify);
    for (const worker of workers.splice(0)) {
      worker.removeAllListeners('exit');
      void worker.terminate();
    }
  }
}
