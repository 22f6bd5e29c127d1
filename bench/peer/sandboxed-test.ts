/**
 * aider's `--test-cmd` in the peer bench: `node --import tsx sandboxed-test.ts COMMAND` runs
 * COMMAND over the current folder in the same sandbox assist's `run_tests` uses (default settings:
 * Docker, else bubblewrap; no network; the same time and memory limits), prints its output and
 * exits with its exit code (124 when it timed out, 2 when no sandbox is available). So both tools'
 * tests see the same toolchains, and neither runs model-written code on the host.
 */
import { defaults, type Config } from '../../src/config/schema.ts';
import { installSandboxExitCleanup, openSandbox } from '../../src/sandbox/open-sandbox.ts';

const command = process.argv.slice(2).join(' ');
if (!command) {
  process.stderr.write('usage: sandboxed-test.ts COMMAND\n');
  process.exit(2);
}
installSandboxExitCleanup();
const config: Config = structuredClone(defaults);
const root = process.cwd();
const { sandbox, reason } = await openSandbox(config, { root });
if (!sandbox) {
  process.stderr.write(`${reason}\n`);
  process.exit(2);
}
let code = 1;
try {
  const result = await sandbox.run({ command, files: { root, overlay: new Map() }, timeoutMs: config.sandbox.timeoutMs });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.timedOut) process.stderr.write(`\n[timed out after ${config.sandbox.timeoutMs / 1000} s]\n`);
  code = result.timedOut ? 124 : (result.exitCode ?? 1);
} finally {
  await sandbox.dispose();
}
process.exit(code);
