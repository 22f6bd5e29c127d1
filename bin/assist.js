#!/usr/bin/env node
// Entry point for `assist`: runs the CLI from the launch bundle (see launch-bundle.js), or from the
// TypeScript source through tsx when the bundle cannot be built or ASSIST_FROM_SOURCE=1.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLocation, launchBundle } from './launch-bundle.js';

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0); // `assist ... | head` closed the pipe: not an error
    throw error;
  });
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = process.env.ASSIST_FROM_SOURCE === '1' ? undefined : await launchBundle(bundleLocation(root)).catch(() => undefined);
let cli;
if (bundle) {
  process.setSourceMapsEnabled(true); // stack traces name src/ files and lines, as they do from source
  cli = await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/main.ts');
}
process.exitCode = await cli.main(process.argv);
// The command is done. If native work still holds the event loop (a model step the engine could not
// stop in time), leave anyway rather than keep the terminal waiting.
setTimeout(() => process.exit(), 5000).unref();
