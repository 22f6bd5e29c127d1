/**
 * Whether the real engine's grammar accepts a text: node-llama-cpp's own grammar evaluation state,
 * as generation uses it, fed the text token by token, and then asked whether the output may end.
 * Deterministic (no sampling), so a test can prove what a grammar allows and refuses.
 */
import { LlamaGrammarEvaluationState, type Token } from 'node-llama-cpp';
import type { EmbeddedModel } from '../../src/model/embedded.ts';

interface Sampler {
  canBeNextTokenForGrammarEvaluationState(state: unknown, token: Token): boolean;
  acceptGrammarEvaluationStateToken(state: unknown, token: Token): void;
}

export async function grammarAccepts(model: EmbeddedModel, grammarText: string, text: string): Promise<boolean> {
  const m = model.model;
  const grammar = await model.llama.createGrammar({ grammar: grammarText });
  const state = new LlamaGrammarEvaluationState({ model: m, grammar });
  const sampler = (model.llama as unknown as { _bindings: { AddonSampler: Sampler } })._bindings.AddonSampler;
  const native = (state as unknown as { _state: unknown })._state;
  for (const token of m.tokenize(text, false, 'trimLeadingSpace')) {
    if (!sampler.canBeNextTokenForGrammarEvaluationState(native, token)) return false;
    sampler.acceptGrammarEvaluationStateToken(native, token);
  }
  return sampler.canBeNextTokenForGrammarEvaluationState(native, m.tokens.eos!);
}
