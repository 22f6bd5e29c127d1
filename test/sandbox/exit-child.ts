/**
 * Child process of docker.test.ts: opens a Docker sandbox with the exit cleanup installed, runs
 * once, prints its session id, then ends by `process.exit` or waits for SIGTERM (with another
 * SIGTERM listener present, as in the CLI).
 */
import { DockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { installSandboxExitCleanup } from '../../src/sandbox/open-sandbox.ts';
import { smallConfig } from './helpers.ts';

installSandboxExitCleanup();
const how = process.argv[2];
// A library listening too (signal-exit does, and acts only when it is the only listener) must not stop the cleanup.
if (how === 'SIGTERM') process.on('SIGTERM', () => undefined);
const sessionId = `exit-test-${process.pid}`;
const sandbox = new DockerSandbox({ config: smallConfig().sandbox, sessionId });
await sandbox.run({ command: 'true' });
process.stdout.write(`session=${sessionId}\n`);
if (how === 'exit') process.exit(0);
setInterval(() => undefined, 1 << 30); // keep alive until the signal
