// The tiers of the test files, by the heaviest real thing a file uses, read from its text so the
// tier cannot drift from the code:
// - engine: the real node-llama-cpp engine (the tiny generated GGUF, or a real model);
// - docker: a sandbox (Docker, or bubblewrap where Docker is missing) or a real terminal (tmux);
// - unit: neither (real files, real processes and loopback servers are fine).
// `npm run e2e` is the fourth tier: a real downloaded model, outside `npm test`.
import { readFileSync } from 'node:fs';

export const tiers = ['unit', 'engine', 'docker'];

const engine = /tiny-gguf|loadTinyModel|EmbeddedModel|ensureRealModel|llama-backed/;
const sandbox = /needsSandbox|needSandbox|openSandbox|openDocker|dockerUnavailable|sandboxAvailable|bwrapUnavailable|TmuxAssist|session-tmux|\bdocker\b/;

/** The tier of one test file. */
export function tierOf(file) {
  const text = readFileSync(file, 'utf8');
  if (engine.test(text)) return 'engine';
  if (sandbox.test(text)) return 'docker';
  return 'unit';
}
