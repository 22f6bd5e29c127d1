/**
 * Code first: a middle that must hold code, kept from opening with a comment. Asked for a script's
 * top-level code under the request written as comments, the 1.5B model began with those comments
 * again (bash-ini-get, bash-normpath: the request's paragraphs one a line; bash-count-lines: its one
 * line, then nothing) or with a comment of its own making (`#   make: *** [ini_get_test.sh] Error 1`),
 * and the middle, its copied prose cut (text/comment-prose.ts), held no code. With every token that
 * opens a comment banned until the first character that is not a space, the model's most likely
 * text is code.
 */
import { type LlamaModel, type Token, TokenBias } from 'node-llama-cpp';

/** Token ids by model and comment marker: the vocabulary is read once (~0.3 s for Qwen2.5's 151,936 tokens). */
const cached = new WeakMap<LlamaModel, Map<string, Token[]>>();

/**
 * The tokens of `model` that open a comment marked `marker` (`#`, `//`, `--`): their text, spaces
 * before it aside, begins with the marker, or is a beginning of it that a second token could finish
 * (`/` of `//`; `-` of `--`). A token of spaces only is not one: indentation comes before code too.
 */
export function commentStartTokens(model: LlamaModel, marker: string): Token[] {
  let byMarker = cached.get(model);
  if (!byMarker) cached.set(model, (byMarker = new Map()));
  const known = byMarker.get(marker);
  if (known) return known;
  const found: Token[] = [];
  const size = vocabularySize(model);
  for (let id = 0; id < size; id++) {
    const text = model.detokenize([id as Token], false).trimStart();
    if (text && (text.startsWith(marker) || marker.startsWith(text))) found.push(id as Token);
  }
  byMarker.set(marker, found);
  return found;
}

/** Tokens in the model's vocabulary (its GGUF's token list). */
function vocabularySize(model: LlamaModel): number {
  const tokens = (model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly unknown[] } } }).tokenizer?.ggml?.tokens;
  return tokens?.length ?? 0;
}

/**
 * A token bias for a generation (node-llama-cpp asks for it before each token) that bans the
 * tokens opening a `marker` comment, and the tokens that would end the middle (`ends`), while what
 * was written (`seen`, fed each chunk) is blank: a sample of bash-ini-get's script ended after
 * two blank lines, in 0.2 s, with or without the comments banned.
 */
export function codeFirstBias(model: LlamaModel, marker: string, ends: readonly Token[] = []): { tokenBias: () => TokenBias; seen: (chunk: string) => void } {
  const banned = new TokenBias(model.tokenizer);
  for (const token of [...commentStartTokens(model, marker), ...ends]) banned.set(token, 'never');
  const none = new TokenBias(model.tokenizer);
  let blank = true;
  return {
    tokenBias: () => (blank ? banned : none),
    seen: (chunk) => {
      if (blank && chunk.trim() !== '') blank = false;
    },
  };
}
