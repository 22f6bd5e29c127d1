/**
 * Entry of a parse worker thread (started by parse-pool.ts with the tsx loader). Receives
 * batches of files, answers with their symbols.
 */
import { parentPort } from 'node:worker_threads';
import { indexFile, type FileSymbols, type IndexJob } from './index-file.ts';

/** A batch sent to a worker. */
export interface ParseRequest {
  id: number;
  jobs: IndexJob[];
  maxFileBytes: number;
}

/** A worker's answer to one batch, in job order. */
export interface ParseResponse {
  id: number;
  results: FileSymbols[];
}

parentPort?.on('message', (request: ParseRequest) => {
  const results = request.jobs.map((job) => indexFile(job, request.maxFileBytes));
  parentPort?.postMessage({ id: request.id, results } satisfies ParseResponse);
});
