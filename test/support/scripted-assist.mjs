#!/usr/bin/env node
// The real `assist` command line with a scripted model, for tests that drive the CLI as a person
// would but need the loop to be deterministic. `ASSIST_TEST_SCRIPTED_MODEL` names a JSON file of
// actions (or `{ "steps": [...], "contextSize": N }`); the model is injected here, through
// `main`'s dependencies, so production code knows nothing of it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../../src/cli/main.ts');
const { scriptedModelFromFile } = await import('./scripted-model-file.ts');
const file = process.env.ASSIST_TEST_SCRIPTED_MODEL;
process.exitCode = await main(process.argv, file ? { openModel: async () => scriptedModelFromFile(file) } : {});
setTimeout(() => process.exit(), 5000).unref();
