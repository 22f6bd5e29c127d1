#!/usr/bin/env node
// Entry point for `assist`: registers the TypeScript loader, then hands over to the CLI.
import { register } from 'tsx/esm/api';

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0); // `assist ... | head` closed the pipe: not an error
    throw error;
  });
}
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
