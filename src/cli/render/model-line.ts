/**
 * The words for the model in use: its backend and context, and for a model server which server
 * answered, the constraint its steps are decoded under and where the context size came from.
 * Shared by the session banner, `/model` and `assist run`'s model line.
 */
import type { ModelInfo, ServerUse } from '../../model/language-model.ts';

const constraintWords: Record<ServerUse['constraint'], string> = {
  grammar: 'grammar (GBNF)',
  json_schema: 'json_schema',
  json_object: 'json_object + validation',
};

const fromWords: Record<ServerUse['constraintFrom'], string> = {
  server: 'detected',
  probe: 'probed',
  config: 'openai.constraint',
  fallback: 'nothing stronger answered',
};

/** `grammar (GBNF), detected`, `json_object + validation, nothing stronger answered`, ... */
export function constraintText(server: ServerUse): string {
  return `${constraintWords[server.constraint]}, ${fromWords[server.constraintFrom]}`;
}

/** `4,096 tokens from /props`, `4,096 tokens, assumed: the server does not say; set model.contextSize`. */
export function contextText(info: ModelInfo): string {
  const size = `${info.contextSize.toLocaleString('en-US')} tokens`;
  if (!info.server) return size;
  return info.server.contextAssumed ? `${size}, ${info.server.contextFrom}` : `${size} from ${info.server.contextFrom}`;
}

/**
 * The server line of a model server, under a line that gives the context size:
 * `llama.cpp · constraint grammar (GBNF), detected · context from /props`; undefined for an
 * in-process model.
 */
export function serverText(info: ModelInfo): string | undefined {
  if (!info.server) return undefined;
  const { server } = info;
  return `${server.kind} · constraint ${constraintText(server)} · context ${server.contextAssumed ? server.contextFrom : `from ${server.contextFrom}`}`;
}

/** One line for the model: `qwen (embedded, context 32,768 tokens)`, or with the server's constraint and context source. */
export function modelSummary(info: ModelInfo): string {
  if (!info.server) return `${info.name} (${info.backend}, context ${contextText(info)})`;
  return `${info.name} (${info.backend}: ${info.server.kind}, constraint ${constraintText(info.server)}, context ${contextText(info)})`;
}
