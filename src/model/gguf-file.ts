/**
 * Checks a model file before anything loads it: the GGUF magic, a header node-llama-cpp can read,
 * and a size that holds all the tensor data (a truncated download fails here, not mid-load).
 */
import { open, stat } from 'node:fs/promises';
import type { GgufFileInfo, GgufInsights, Llama } from 'node-llama-cpp';
import { ModelSetupError } from './language-model.ts';

/** What the header of a valid GGUF says. */
export interface GgufSummary {
  path: string;
  sizeBytes: number;
  architecture: string;
  /** `general.name`, when the file has one. */
  name?: string;
  trainContextSize?: number;
  chatTemplate?: string;
  fileInfo: GgufFileInfo;
  insights: GgufInsights;
}

const MAGIC = 'GGUF';

/** Reads and checks a GGUF header. Throws ModelSetupError with a clear message when it is not usable. */
export async function inspectGgufFile(file: string, llama?: Llama): Promise<GgufSummary> {
  let sizeBytes: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ModelSetupError(`${file} is not a file. Give the path of a .gguf model file.`);
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof ModelSetupError) throw error;
    throw new ModelSetupError(`Cannot read the model file ${file}: ${(error as Error).message}.`, { cause: error });
  }
  const head = Buffer.alloc(4);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head.toString('latin1') !== MAGIC) {
    throw new ModelSetupError(
      `${file} is not a GGUF model file (it does not start with "GGUF"). assist runs GGUF models: ` +
        'download one with `assist models pull NAME` or convert the model to GGUF first.',
    );
  }
  let fileInfo: GgufFileInfo;
  try {
    // loaded here, not at the top: `assist models list` should not pay for the engine's import
    const { readGgufFileInfo } = await import('node-llama-cpp');
    fileInfo = await readGgufFileInfo(file, { sourceType: 'filesystem', spliceSplitFiles: false, logWarnings: false });
  } catch (error) {
    throw new ModelSetupError(
      `${file} is a corrupt GGUF file (its header cannot be read: ${(error as Error).message}). Delete it and download or import it again.`,
      { cause: error },
    );
  }
  const { GgufInsights } = await import('node-llama-cpp');
  const insights = await GgufInsights.from(fileInfo, llama);
  const needed = fileInfo.metadataSize + (fileInfo.tensorInfoSize ?? 0) + insights.modelSize;
  if (sizeBytes < needed) {
    throw new ModelSetupError(
      `${file} is truncated: it is ${sizeBytes} bytes but its tensors need at least ${needed}. ` +
        'The download was probably cut off; pull or import it again.',
    );
  }
  const metadata = fileInfo.metadata as { general?: { architecture?: string; name?: string }; tokenizer?: { chat_template?: string } };
  return {
    path: file,
    sizeBytes,
    architecture: String(metadata.general?.architecture ?? 'unknown'),
    name: metadata.general?.name,
    trainContextSize: insights.trainContextSize,
    chatTemplate: metadata.tokenizer?.chat_template,
    fileInfo,
    insights,
  };
}
