/**
 * Shared fixtures of the model tests: representative tool schemas (like the built-in tools: a path,
 * nullable optional args, bounded strings) and a loader for the tiny GGUF through the real engine.
 */
import type { GbnfJsonObjectSchema } from 'node-llama-cpp';
import { buildActionSchema } from '../../src/model/action-schema.ts';
import { EmbeddedModel } from '../../src/model/embedded.ts';
import { banByteTokens, tinyGgufPath } from '../support/tiny-gguf.ts';

export const representativeTools: Array<{ name: string; schema: GbnfJsonObjectSchema }> = [
  {
    name: 'read_file',
    schema: {
      type: 'object',
      properties: {
        path: { type: 'string', maxLength: 60 },
        startLine: { type: ['integer', 'null'] },
        endLine: { type: ['integer', 'null'] },
      },
    },
  },
  {
    name: 'search_code',
    schema: {
      type: 'object',
      properties: { query: { type: 'string', maxLength: 40 }, glob: { oneOf: [{ type: 'string', maxLength: 30 }, { type: 'null' }] } },
    },
  },
  {
    name: 'edit_file',
    schema: {
      type: 'object',
      properties: {
        path: { type: 'string', maxLength: 60 },
        edits: {
          type: 'array',
          maxItems: 2,
          items: { type: 'object', properties: { oldText: { type: 'string', maxLength: 60 }, newText: { type: 'string', maxLength: 60 } } },
        },
      },
    },
  },
  {
    name: 'run_tests',
    schema: { type: 'object', properties: { command: { oneOf: [{ type: 'string', maxLength: 40 }, { type: 'null' }] }, mode: { enum: ['all', 'failed'] } } },
  },
];

/** The action schema of the representative tools, with short strings for random weights. */
export const representativeSchema = buildActionSchema(representativeTools, { maxThoughtLength: 60, maxAnswerLength: 80 });

/** The tiny GGUF through the real engine, on one thread, with byte tokens banned. */
export async function loadTinyModel(options: { contextSize?: number; timeoutMs?: number } = {}): Promise<EmbeddedModel> {
  return EmbeddedModel.load({
    path: await tinyGgufPath(),
    contextSize: options.contextSize ?? 2048,
    threads: 1,
    gpu: false,
    maxTokens: 600,
    timeoutMs: options.timeoutMs ?? 60_000,
    tokenBias: banByteTokens,
  });
}

/** The tiny GGUF with fill-in-the-middle tokens (or without: `fim` false), for infills and doubts; no KV state kept on disk. */
export async function loadTinyFimModel(fim: boolean): Promise<EmbeddedModel> {
  return EmbeddedModel.load({
    path: await tinyGgufPath({ fim }),
    contextSize: 2048,
    threads: 1,
    gpu: false,
    maxTokens: 200,
    timeoutMs: 60_000,
    tokenBias: banByteTokens,
    kvCacheDir: false,
  });
}
