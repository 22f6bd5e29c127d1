// Entry of the assist child of `npm run bench -- startup`, started with plain `node` the way
// bin/assist.js starts assist: register the TypeScript loader in-process (no `--import tsx` in
// execArgv, which child processes such as node-llama-cpp's binary test would inherit), then run
// bench/_startup-assist.ts.
import { register } from 'tsx/esm/api';

register();
await import('./_startup-assist.ts');
